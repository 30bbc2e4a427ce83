package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;

/** Parallel calls leave a state that every read agrees on, as IAM's would. */
class ConcurrencyConformanceTest extends SandboxTestBase {

  @Test
  void parallelAddAndRemoveUserFromGroupLeavesConsistentMembership() throws Exception {
    int users = 12;
    int groups = 6;
    for (int i = 0; i < users; i++) {
      int n = i;
      iam.createUser(r -> r.userName("u" + n));
    }
    for (int g = 0; g < groups; g++) {
      int n = g;
      iam.createGroup(r -> r.groupName("g" + n));
    }

    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      work.add(
          pool.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 60; i++) {
                  String user = "u" + random.nextInt(users);
                  String group = "g" + random.nextInt(groups);
                  if (random.nextBoolean()) {
                    iam.addUserToGroup(r -> r.groupName(group).userName(user));
                  } else {
                    try {
                      iam.removeUserFromGroup(r -> r.groupName(group).userName(user));
                    } catch (NoSuchEntityException notAMember) {
                      // another thread got there first: IAM answers the same
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();

    Set<String> fromGroups = new HashSet<>();
    for (int g = 0; g < groups; g++) {
      int n = g;
      for (User u : iam.getGroup(r -> r.groupName("g" + n)).users()) {
        assertThat(fromGroups.add(u.userName() + "@g" + n)).isTrue();
      }
    }
    Set<String> fromUsers = new HashSet<>();
    for (int i = 0; i < users; i++) {
      int n = i;
      List<Group> memberOf = iam.listGroupsForUser(r -> r.userName("u" + n)).groups();
      assertThat(memberOf).extracting(Group::groupName).doesNotHaveDuplicates();
      memberOf.forEach(g -> fromUsers.add("u" + n + "@" + g.groupName()));
    }
    assertThat(fromUsers).isEqualTo(fromGroups);
    assertThat(
            sandbox.calls(ACCOUNT, "AddUserToGroup")
                + sandbox.calls(ACCOUNT, "RemoveUserFromGroup"))
        .isEqualTo(480);
  }

  @Test
  void exactlyOneOfManyParallelCreatesOfTheSameNameWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger created = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int n = t;
      work.add(
          pool.submit(
              () -> {
                try {
                  iam.createUser(r -> r.userName(n % 2 == 0 ? "alice" : "ALICE"));
                  created.incrementAndGet();
                } catch (EntityAlreadyExistsException e) {
                  conflicts.incrementAndGet();
                }
              }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();

    assertThat(created).hasValue(1);
    assertThat(conflicts).hasValue(15);
    assertThat(Map.of("users", iam.listUsers().users().size())).containsEntry("users", 1);
  }
}
