package dev.roster.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any current state of a Roster user (or none) and any desired state: applying the plan to an
 * in-memory IAM reaches the desired state, and planning again yields nothing.
 */
class PlannerPropertiesTest {
  static final Set<String> IGNORED = Set.of("break-glass");
  static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NEW = Instant.parse("2026-02-01T00:00:00Z");

  @Property(tries = 500)
  void planReachesTheDesiredStateAndIsThenEmpty(
      @ForAll("current") UserState current, @ForAll("desired") Desired desired) {
    boolean deactivates = Planner.deactivates(desired, current);
    UserState state = current;
    for (Operation op : Planner.plan(desired, state, IGNORED).operations()) {
      state = InMemoryIam.apply(state, op);
    }

    if (current == null && !desired.active()) {
      assertThat(state).isNull();
      return;
    }
    assertThat(state).isNotNull();
    Set<String> ignoredHeld =
        current == null
            ? Set.of()
            : current.groups().stream().filter(IGNORED::contains).collect(Collectors.toSet());
    if (deactivates) {
      assertThat(state.inlinePolicies()).containsExactly(Tags.DENY_ALL_POLICY);
      assertThat(state.loginProfile()).isFalse();
      assertThat(state.activeAccessKeys()).isEmpty();
      assertThat(state.activeSshKeys()).isEmpty();
      assertThat(state.activeServiceCredentials()).isEmpty();
      assertThat(state.activeSigningCertificates()).isEmpty();
      assertThat(state.mfaDevices()).isEmpty();
      assertThat(state.attachedPolicies()).isEmpty();
      assertThat(state.groups()).containsExactlyInAnyOrderElementsOf(ignoredHeld);
      assertThat(state.tags()).containsEntry(Tags.STATUS, Tags.STATUS_DEACTIVATED);
      assertThat(state.tags()).containsKey(Tags.DEACTIVATED_AT);
    } else {
      Set<String> expected = new java.util.HashSet<>(lower(desired.groups()));
      expected.addAll(lower(ignoredHeld));
      assertThat(lower(state.groups())).isEqualTo(expected);
      assertThat(state.inlinePolicies()).doesNotContain(Tags.DENY_ALL_POLICY);
      assertThat(state.tags()).containsAllEntriesOf(desired.tags());
      assertThat(state.tags()).doesNotContainKey(Tags.DEACTIVATED_AT);
    }
    assertThat(state.tags()).containsEntry(Tags.LAST_EVENT_AT, desired.watermark().toString());
    assertThat(Planner.plan(desired, state, IGNORED).operations()).isEmpty();
  }

  @Property(tries = 200)
  void anOlderEventNeverChangesAnything(
      @ForAll("current") UserState current, @ForAll("desired") Desired desired) {
    if (current == null) {
      return;
    }
    Desired older =
        new Desired(
            desired.employeeId(),
            desired.userName(),
            desired.active(),
            desired.reactivate(),
            desired.groups(),
            desired.tags(),
            OLD.minusSeconds(1));

    assertThat(Planner.plan(older, current, IGNORED).operations()).isEmpty();
  }

  private static Set<String> lower(Set<String> groups) {
    return groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  private static Arbitrary<Set<String>> ids(String prefix) {
    return Arbitraries.of(prefix + "1", prefix + "2", prefix + "3").set();
  }

  @Provide
  Arbitrary<UserState> current() {
    Arbitrary<Set<String>> groups =
        Arbitraries.of("all-staff", "Developers", "qa", "operators", "break-glass", "old-team")
            .set()
            .ofMaxSize(5);
    Arbitrary<Set<String>> inline = Arbitraries.of(Tags.DENY_ALL_POLICY, "p1", "p2").set();
    Arbitrary<Map<String, String>> tags =
        Arbitraries.of(Tags.STATUS_ACTIVE, Tags.STATUS_DEACTIVATED, "")
            .flatMap(
                status ->
                    Arbitraries.of(true, false)
                        .map(
                            deactivatedAt -> {
                              Map<String, String> t = new HashMap<>();
                              t.put(Tags.EMPLOYEE_ID, "E1");
                              t.put(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER);
                              t.put(Tags.LAST_EVENT_AT, OLD.toString());
                              if (!status.isEmpty()) {
                                t.put(Tags.STATUS, status);
                              }
                              if (deactivatedAt) {
                                t.put(Tags.DEACTIVATED_AT, OLD.toString());
                              }
                              return t;
                            }));
    Arbitrary<UserState> user =
        Combinators.combine(
                List.of(
                    tags.map(Object.class::cast),
                    groups.map(Object.class::cast),
                    inline.map(Object.class::cast),
                    Arbitraries.of(true, false).map(Object.class::cast),
                    ids("AKIA").map(Object.class::cast),
                    ids("APKA").map(Object.class::cast),
                    ids("ACCA").map(Object.class::cast),
                    ids("CERT").map(Object.class::cast),
                    ids("mfa").map(Object.class::cast),
                    ids("arn:policy/").map(Object.class::cast)))
            .as(PlannerPropertiesTest::user);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just((UserState) null)),
        net.jqwik.api.Tuple.of(5, user));
  }

  @SuppressWarnings("unchecked")
  private static UserState user(List<Object> v) {
    return new UserState(
        "u1",
        (Map<String, String>) v.get(0),
        (Set<String>) v.get(1),
        (Set<String>) v.get(2),
        true,
        (Boolean) v.get(3),
        (Set<String>) v.get(4),
        (Set<String>) v.get(5),
        (Set<String>) v.get(6),
        (Set<String>) v.get(7),
        (Set<String>) v.get(8),
        (Set<String>) v.get(9));
  }

  @Provide
  Arbitrary<Desired> desired() {
    Arbitrary<Set<String>> groups =
        Arbitraries.of("all-staff", "developers", "qa", "operators", "readonly").set().ofMaxSize(4);
    return Combinators.combine(groups, Arbitraries.of(true, false), Arbitraries.of("Eng", "Ops"))
        .as(
            (g, reactivate, dept) -> {
              Map<String, String> tags = new HashMap<>();
              tags.put(Tags.EMPLOYEE_ID, "E1");
              tags.put(Tags.MANAGED_BY, Tags.MANAGED_BY_ROSTER);
              tags.put(Tags.LAST_EVENT_AT, NEW.toString());
              tags.put(Tags.DEPARTMENT, dept);
              boolean active = !g.isEmpty();
              if (active) {
                tags.put(Tags.STATUS, Tags.STATUS_ACTIVE);
              } else {
                tags.put(Tags.STATUS, Tags.STATUS_DEACTIVATED);
                tags.put(Tags.DEACTIVATED_AT, NEW.toString());
              }
              return new Desired("E1", "u1", active, reactivate, g, tags, NEW);
            });
  }
}
