package dev.roster.provisioner.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.provisioner.plan.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The index answers a miss from IAM, and concurrent misses share listings: many leavers looked up
 * in an account where they have no user (the usual case for prod) must not queue one {@code
 * ListUsers} each behind the account's lock.
 */
class UserIndexTest {

  /** ListUsers and ListUserTags of one account; each listing can be held open by a latch. */
  private static final class Listing implements IamGateway {
    final Map<String, String> employeeOf = new ConcurrentHashMap<>();
    final AtomicInteger listings = new AtomicInteger();
    final AtomicInteger tagReads = new AtomicInteger();
    final AtomicInteger tagReadsAtOnce = new AtomicInteger();
    volatile int mostTagReadsAtOnce;
    volatile CountDownLatch hold = new CountDownLatch(0);
    volatile CountDownLatch tagsHeld = new CountDownLatch(0);

    @Override
    public List<String> userNames(String account) {
      listings.incrementAndGet();
      await(hold);
      return List.copyOf(employeeOf.keySet());
    }

    @Override
    public Optional<Map<String, String>> userTags(String account, String userName) {
      tagReads.incrementAndGet();
      mostTagReadsAtOnce = Math.max(mostTagReadsAtOnce, tagReadsAtOnce.incrementAndGet());
      try {
        await(tagsHeld);
      } finally {
        tagReadsAtOnce.decrementAndGet();
      }
      return Optional.of(
          Map.of(
              Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER, Tags.EMPLOYEE_ID, employeeOf.get(userName)));
    }

    private static void await(CountDownLatch latch) {
      try {
        latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    // Not used by the index.
    @Override
    public Optional<dev.roster.provisioner.plan.UserState> readUser(
        String account, String userName, boolean full) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean groupExists(String account, String group) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> simulate(String account, String userName, List<String> actions) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<dev.roster.policy.PolicySet> groupPolicies(String account, String group) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AppliedChange apply(
        String account,
        dev.roster.provisioner.plan.Operation op,
        java.util.function.BooleanSupplier owned) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void ping(String account) {}
  }

  @Test
  void missesDuringARefreshShareTheNextOneInsteadOfEachListingAgain() throws Exception {
    Listing iam = new Listing();
    UserIndex index = new UserIndex(iam);
    iam.hold = new CountDownLatch(1);
    Thread first = new Thread(() -> index.find("prod", "E-0"));
    first.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> iam.listings.get() == 1);

    // Twenty leavers with no prod user, looked up while that listing is under way.
    List<Thread> misses = new ArrayList<>();
    List<Optional<String>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 1; i <= 20; i++) {
      String employee = "E-" + i;
      Thread t = new Thread(() -> answers.add(index.find("prod", employee)));
      misses.add(t);
      t.start();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> misses.stream().allMatch(t -> t.getState() == Thread.State.BLOCKED));
    iam.hold.countDown();
    first.join(10_000);
    for (Thread t : misses) {
      t.join(10_000);
    }

    assertThat(answers).hasSize(20).allMatch(Optional::isEmpty);
    // The one under way started before their misses, so it cannot answer them; the next can,
    // for all of them at once.
    assertThat(iam.listings.get()).isEqualTo(2);
  }

  @Test
  void aMissReadsTheTagsOfUsersItHasNotSeenInParallel() {
    Listing iam = new Listing();
    for (int i = 0; i < 12; i++) {
      iam.employeeOf.put("user-" + i, "E-" + i);
    }
    iam.tagsHeld = new CountDownLatch(1);
    UserIndex index = new UserIndex(iam, java.util.concurrent.Executors.newFixedThreadPool(8), 8);
    java.util.concurrent.CompletableFuture<Optional<String>> found =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> index.find("dev", "E-7"));
    await().atMost(Duration.ofSeconds(10)).until(() -> iam.tagReadsAtOnce.get() == 8);
    iam.tagsHeld.countDown();

    assertThat(found.join()).contains("user-7");
    assertThat(iam.tagReads.get()).isEqualTo(12);
    assertThat(iam.mostTagReadsAtOnce).isEqualTo(8);
    // Seen once: the next miss lists again but reads no tag it already has.
    assertThat(index.find("dev", "E-99")).isEmpty();
    assertThat(iam.tagReads.get()).isEqualTo(12);
  }
}
