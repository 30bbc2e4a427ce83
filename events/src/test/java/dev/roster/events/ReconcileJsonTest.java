package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the wire form of snapshot parts, approvals, reconciliations and their differences. */
class ReconcileJsonTest {
  private static final ObjectMapper JSON = EventJson.mapper();

  @Test
  void aSnapshotPartRoundTripsWithWireNames() throws Exception {
    SnapshotPart part =
        new SnapshotPart(
            "snap-1",
            SnapshotMode.APPLY,
            OffsetDateTime.parse("2026-12-02T08:00:00Z"),
            0,
            2,
            1001,
            List.of(
                new SnapshotEmployee(
                    "E1",
                    "alice",
                    EmployeeStatus.ACTIVE,
                    List.of("dev"),
                    null,
                    null,
                    null,
                    null,
                    "Europe/Berlin"),
                new SnapshotEmployee(
                    "E2", "bob", EmployeeStatus.TERMINATED, null, null, null, null, null, null)));
    JsonNode tree = JSON.valueToTree(part);
    assertThat(tree.get("mode").asText()).isEqualTo("apply");
    assertThat(tree.at("/employees/1/status").asText()).isEqualTo("terminated");
    assertThat(tree.at("/employees/1/roles").isEmpty()).isTrue();
    assertThat(tree.at("/employees/1").has("email")).as("absent, not null").isFalse();
    assertThat(JSON.treeToValue(tree, SnapshotPart.class)).isEqualTo(part);
    assertThat(part.last()).isFalse();
    assertThat(part.employees().get(0).employee().timeZone()).isEqualTo("Europe/Berlin");
  }

  @Test
  void aReconciliationAndItsDifferencesRoundTrip() throws Exception {
    Reconciliation r =
        new Reconciliation(
            "snap-1",
            Reconciliation.SOURCE_SNAPSHOT,
            SnapshotMode.REPORT,
            ReconciliationStatus.HELD,
            OffsetDateTime.parse("2026-12-02T08:00:00Z"),
            null,
            200,
            List.of("111111111111"),
            Map.of("leaver-with-access", 120),
            Map.of("111111111111", Map.of("leaver-with-access", 120)),
            120,
            "guard: 120 deactivations > 25");
    JsonNode tree = JSON.valueToTree(r);
    assertThat(tree.get("status").asText()).isEqualTo("held");
    assertThat(tree.has("completedAt")).isFalse();
    assertThat(JSON.treeToValue(tree, Reconciliation.class)).isEqualTo(r);

    Reconciliation.Difference d =
        new Reconciliation.Difference(
            "snap-1",
            DifferenceKind.UNOWNED_CONFLICT,
            "111111111111",
            "E3",
            "carol",
            null,
            null,
            null);
    JsonNode diff = JSON.valueToTree(d);
    assertThat(diff.get("kind").asText()).isEqualTo("unowned-conflict");
    assertThat(JSON.treeToValue(diff, Reconciliation.Difference.class)).isEqualTo(d);
  }

  @Test
  void aReviewFindingRoundTrips() throws Exception {
    Review.Finding f =
        new Review.Finding(
            "rev-1",
            "f-0a1b",
            FindingKind.OLD_ACCESS_KEY,
            "111111111111",
            "E1",
            "alice",
            "AKIAOLDKEY0000000001",
            "created 2026-01-02, 120 days ago",
            OffsetDateTime.parse("2026-12-02T08:00:00Z"));
    JsonNode tree = JSON.valueToTree(f);
    assertThat(tree.get("kind").asText()).isEqualTo("old-access-key");
    assertThat(JSON.treeToValue(tree, Review.Finding.class)).isEqualTo(f);
    assertThat(FindingKind.fromWire("scp-changed")).contains(FindingKind.SCP_CHANGED);
  }

  @Test
  void unknownWireNamesAreRefused() {
    assertThatThrownBy(() -> JSON.readValue("\"fired\"", EmployeeStatus.class))
        .hasMessageContaining("unknown employee status: fired");
    assertThat(DifferenceKind.fromWire("extra-group")).contains(DifferenceKind.EXTRA_GROUP);
    assertThat(SnapshotMode.fromWire("dry-run")).isEmpty();
  }
}
