package dev.roster.bench.micro;

import dev.roster.provisioner.plan.Desired;
import dev.roster.provisioner.plan.Plan;
import dev.roster.provisioner.plan.Planner;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The provisioner's pure planner for an employee with 10 groups in an account: a move (5 groups
 * out, 5 in), a leave (10 groups, every kind of credential), and a converged re-delivery. Baseline:
 * the bare set difference of the two group sets, the least work any membership diff needs.
 */
@State(Scope.Benchmark)
public class PlannerBench {
  Desired move;
  Desired leave;
  UserState current;
  UserState converged;
  Set<String> ignored = Set.of("break-glass");
  Set<String> currentGroups;
  Set<String> desiredGroups;

  @Setup
  public void setUp() {
    Instant last = Instant.parse("2026-11-01T09:00:00Z");
    Instant now = Instant.parse("2026-11-28T09:00:00Z");
    currentGroups = groups(0, 10);
    desiredGroups = groups(5, 15);
    Map<String, String> tags =
        Map.of(
            Tags.EMPLOYEE_ID,
            "E1001",
            Tags.MANAGED_BY,
            Tags.MANAGED_BY_ROSTER,
            Tags.STATUS,
            Tags.STATUS_ACTIVE,
            Tags.LAST_EVENT_AT,
            last.toString());
    Map<String, String> newTags =
        Map.of(
            Tags.EMPLOYEE_ID,
            "E1001",
            Tags.MANAGED_BY,
            Tags.MANAGED_BY_ROSTER,
            Tags.STATUS,
            Tags.STATUS_ACTIVE,
            Tags.LAST_EVENT_AT,
            now.toString());
    current =
        new UserState(
            "alice.doe",
            tags,
            currentGroups,
            Set.of("inline-1"),
            true,
            true,
            Set.of("AKIA0000000000000001", "AKIA0000000000000002"),
            Set.of("APKA0000000000000001"),
            Set.of("ACCA0000000000000001"),
            Set.of("CERT0000000000000001"),
            Set.of("arn:aws:iam::111111111111:mfa/alice.doe"),
            Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    move = new Desired("E1001", "alice.doe", true, false, desiredGroups, newTags, now);
    leave =
        new Desired(
            "E1001",
            "alice.doe",
            false,
            false,
            Set.of(),
            Map.of(
                Tags.EMPLOYEE_ID,
                "E1001",
                Tags.MANAGED_BY,
                Tags.MANAGED_BY_ROSTER,
                Tags.STATUS,
                Tags.STATUS_DEACTIVATED,
                Tags.DEACTIVATED_AT,
                now.toString(),
                Tags.LAST_EVENT_AT,
                now.toString()),
            now);
    converged = UserState.basic("alice.doe", newTags, desiredGroups, Set.of());
  }

  static Set<String> groups(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "group-" + i).collect(Collectors.toSet());
  }

  @Benchmark
  public Plan moveTenGroups() {
    return Planner.plan(move, current, ignored);
  }

  @Benchmark
  public Plan leaveTenGroupsAllCredentials() {
    return Planner.plan(leave, current, ignored);
  }

  @Benchmark
  public Plan convergedNoOp() {
    return Planner.plan(move, converged, ignored);
  }

  @Benchmark
  public Object baselineSetDifference() {
    Set<String> add = new HashSet<>(desiredGroups);
    add.removeAll(currentGroups);
    Set<String> remove = new HashSet<>(currentGroups);
    remove.removeAll(desiredGroups);
    return new Object[] {add, remove};
  }
}
