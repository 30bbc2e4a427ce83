package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.auditor.chain.EntryKind;
import dev.roster.auditor.chain.EntryMapper;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.events.ChangeStatus;
import dev.roster.events.IamChange;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an append stores is what it hashed, read back exactly: through COPY's text format (its
 * escapes, UTF-8) and, for timestamps that form does not carry, through a JDBC batch.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class LogStoreTest {
  private static final OffsetDateTime AT =
      OffsetDateTime.of(2026, 6, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC);

  @Inject LogStore store;

  @Test
  void valuesWithEscapesAndNonAsciiCharactersAreStoredAsHashed() {
    String emp = Fixtures.id("E");
    String[] targets = {
      "back\\slash",
      "tab\there",
      "new\nline",
      "cr\rhere",
      "\\N",
      "\\.",
      "caf\u00e9 \u20ac \ud83d\ude00",
      "q\"uote",
      "",
      "a\\tb"
    };
    List<LogEntry> batch = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      batch.add(change(emp, "c" + i, targets[i], AT));
    }

    store.append(batch);

    assertThat(Fixtures.storedChanges(emp, "target")).containsExactlyInAnyOrder(targets);
    assertChainVerifies();
  }

  @Test
  void timestampsBeyondYear9999AreStoredThroughTheJdbcBatch() {
    String emp = Fixtures.id("E");
    OffsetDateTime far = OffsetDateTime.of(12_026, 1, 1, 0, 0, 0, 1_000, ZoneOffset.UTC);

    store.append(List.of(change(emp, "near", "t", AT), change(emp, "far", "t", far)));

    JsonPath changes =
        api()
            .queryParam("employeeId", emp)
            .get("/v1/changes")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(changes.getList("items.at", String.class))
        .containsExactlyInAnyOrder("2026-06-01T00:00:00.123456Z", "+12026-01-01T00:00:00.000001Z");
    assertChainVerifies();
  }

  @Test
  void aRecordStoredBeforeIsSkippedWhateverItsChangeKindAndTheRestOfItsBatchIsStored() {
    String emp = Fixtures.id("E");
    LogEntry first = change(emp, "first", "t", AT);
    store.append(List.of(first, grant(emp, "grant", "t", AT)));

    // The same kind again: the unique index refuses it, the batch is written again without it.
    LogStore.AppendResult again = store.append(List.of(change(emp, "new1", "t", AT), first));
    // A stored change as a privileged grant, and a stored one's grant as a plain change: the
    // check before the write finds them (no unique index spans both kinds).
    LogStore.AppendResult otherKind =
        store.append(
            List.of(
                grant(emp, "first", "t", AT),
                change(emp, "new2", "t", AT),
                change(emp, "grant", "t", AT)));

    assertThat(again.stored()).containsExactly(Map.entry(EntryKind.IAM_CHANGE, 1));
    assertThat(again.duplicates()).containsExactly(Map.entry(EntryKind.IAM_CHANGE, 1));
    assertThat(otherKind.stored()).containsExactly(Map.entry(EntryKind.IAM_CHANGE, 1));
    assertThat(otherKind.duplicates())
        .containsOnly(Map.entry(EntryKind.PRIVILEGED_GRANT, 1), Map.entry(EntryKind.IAM_CHANGE, 1));
    assertThat(Fixtures.storedChanges(emp, "changeId"))
        .containsExactlyInAnyOrder(emp + "-first", emp + "-grant", emp + "-new1", emp + "-new2");
    assertChainVerifies();
  }

  /** The same change as a privileged grant (another kind, the same change id). */
  private static LogEntry grant(String emp, String id, String target, OffsetDateTime at) {
    return EntryMapper.iamChange(Fixtures.privileged(record(emp, id, target, at), "admins"));
  }

  private static void assertChainVerifies() {
    JsonPath integrity = api().get("/v1/integrity").then().statusCode(200).extract().jsonPath();
    assertThat(integrity.getBoolean("ok")).isTrue();
  }

  private static LogEntry change(String emp, String id, String target, OffsetDateTime at) {
    return EntryMapper.iamChange(record(emp, id, target, at));
  }

  private static IamChange record(String emp, String id, String target, OffsetDateTime at) {
    return new IamChange(
        emp + "-" + id,
        "evt-" + emp,
        emp,
        "111111111111",
        "AddUserToGroup",
        "u",
        target,
        ChangeStatus.APPLIED,
        null,
        null,
        at);
  }
}
