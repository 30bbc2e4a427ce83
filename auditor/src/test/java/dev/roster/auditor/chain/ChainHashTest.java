package dev.roster.auditor.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.events.ChangeStatus;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The canonical form is a contract: anyone re-verifying the chain must produce these bytes. */
class ChainHashTest {
  private static final Instant RECORDED = Instant.parse("2026-03-01T09:00:00.123456Z");

  private static LogEntry change() {
    IamChange c =
        new IamChange(
            "chg-1",
            "evt-1",
            "E100",
            "111111111111",
            "RemoveUserFromGroup",
            "jdoe",
            "developers",
            ChangeStatus.APPLIED,
            null,
            "req-1",
            // +02:00 and nanoseconds: stored as UTC microseconds
            OffsetDateTime.of(2026, 3, 1, 11, 0, 1, 987_654_321, ZoneOffset.ofHours(2)));
    return EntryMapper.iamChange(c).chained(7, ChainHash.GENESIS, null, RECORDED);
  }

  @Test
  void canonicalFormIsFixedOrderCompactJsonWithUtcMicrosecondTimestamps() {
    String canonical = new String(ChainHash.canonical(change()), StandardCharsets.UTF_8);

    assertThat(canonical)
        .isEqualTo(
            "{\"v\":1,\"seq\":7,\"kind\":\"iam_change\",\"recordedAt\":\"2026-03-01T09:00:00.123456Z\","
                + "\"eventId\":\"evt-1\",\"employeeId\":\"E100\",\"eventType\":null,"
                + "\"occurredAt\":null,\"effectiveAt\":null,\"payload\":null,\"changeId\":\"chg-1\","
                + "\"account\":\"111111111111\",\"action\":\"RemoveUserFromGroup\","
                + "\"userName\":\"jdoe\",\"target\":\"developers\",\"status\":\"applied\","
                + "\"error\":null,\"awsRequestId\":\"req-1\",\"at\":\"2026-03-01T09:00:01.987654Z\","
                + "\"outcome\":null,\"planned\":null,\"applied\":null,\"failed\":null,"
                + "\"startedAt\":null,\"completedAt\":null,\"reason\":null}");
  }

  @Test
  void hashIsSha256OfPreviousHashBytesFollowedByTheCanonicalEntry() throws Exception {
    LogEntry entry = change();
    String prev = "ab".repeat(32);

    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(HexFormat.of().parseHex(prev));
    sha.update(ChainHash.canonical(entry));

    assertThat(ChainHash.hash(prev, entry))
        .isEqualTo(HexFormat.of().formatHex(sha.digest()))
        .hasSize(64);
  }

  @Test
  void anyChangeToTheEntryItsPositionOrItsPredecessorChangesTheHash() {
    LogEntry entry = change();
    String original = ChainHash.hash(ChainHash.GENESIS, entry);

    LogEntry otherTarget =
        EntryMapper.iamChange(
                new IamChange(
                    "chg-1",
                    "evt-1",
                    "E100",
                    "111111111111",
                    "RemoveUserFromGroup",
                    "jdoe",
                    "admins",
                    ChangeStatus.APPLIED,
                    null,
                    "req-1",
                    OffsetDateTime.of(2026, 3, 1, 11, 0, 1, 987_654_321, ZoneOffset.ofHours(2))))
            .chained(7, ChainHash.GENESIS, null, RECORDED);

    assertThat(ChainHash.hash(ChainHash.GENESIS, otherTarget)).isNotEqualTo(original);
    assertThat(
            ChainHash.hash(ChainHash.GENESIS, entry.chained(8, ChainHash.GENESIS, null, RECORDED)))
        .isNotEqualTo(original);
    assertThat(ChainHash.hash("1" + ChainHash.GENESIS.substring(1), entry)).isNotEqualTo(original);
    assertThat(ChainHash.hash(ChainHash.GENESIS, entry)).isEqualTo(original);
  }

  @Test
  void theStoredHashesDoNotTakePartInTheCanonicalForm() {
    LogEntry entry = change();
    LogEntry withHashes = entry.chained(7, "ff".repeat(32), "ee".repeat(32), RECORDED);

    assertThat(ChainHash.canonical(withHashes)).isEqualTo(ChainHash.canonical(entry));
  }

  @Test
  void anOutcomeWithCutOffAndAccountsIsVersionTwoWithBothAppended() {
    ProvisioningOutcome o =
        new ProvisioningOutcome(
            "evt-9",
            "E9",
            Outcome.FAILED,
            new ProvisioningOutcome.Counts(3, 2, 1),
            null,
            null,
            null);
    List<AccountOutcome> accounts =
        List.of(
            new AccountOutcome("111111111111", "dev", AccountOutcome.State.COMPLETED, null),
            new AccountOutcome(
                "222222222222", "staging", AccountOutcome.State.FAILED, "LimitExceeded"));
    LogEntry v2 =
        EntryMapper.outcome(
                o, OffsetDateTime.of(2026, 3, 1, 9, 0, 0, 1_000, ZoneOffset.UTC), accounts)
            .chained(4, ChainHash.GENESIS, null, RECORDED);

    assertThat(new String(ChainHash.canonical(v2), StandardCharsets.UTF_8))
        .startsWith("{\"v\":2,\"seq\":4,")
        .endsWith(
            "\"reason\":null,\"cutOffAt\":\"2026-03-01T09:00:00.000001Z\",\"accounts\":"
                + "\"[{\\\"account\\\":\\\"111111111111\\\",\\\"name\\\":\\\"dev\\\","
                + "\\\"state\\\":\\\"completed\\\",\\\"reason\\\":null},"
                + "{\\\"account\\\":\\\"222222222222\\\",\\\"name\\\":\\\"staging\\\","
                + "\\\"state\\\":\\\"failed\\\",\\\"reason\\\":\\\"LimitExceeded\\\"}]\"}");

    LogEntry v1 = EntryMapper.outcome(o, null, null).chained(4, ChainHash.GENESIS, null, RECORDED);
    assertThat(new String(ChainHash.canonical(v1), StandardCharsets.UTF_8))
        .as("an outcome without the additions keeps the version-1 bytes")
        .startsWith("{\"v\":1,")
        .endsWith("\"reason\":null}");

    LogEntry otherState =
        EntryMapper.outcome(
                o,
                OffsetDateTime.of(2026, 3, 1, 9, 0, 0, 1_000, ZoneOffset.UTC),
                List.of(accounts.get(0), accounts.get(0)))
            .chained(4, ChainHash.GENESIS, null, RECORDED);
    assertThat(ChainHash.hash(ChainHash.GENESIS, otherState))
        .isNotEqualTo(ChainHash.hash(ChainHash.GENESIS, v2));
  }

  @Test
  void aScheduledOutcomeHashesItsEffectiveAtAndNoticesFollowTheAccountsFields() {
    ProvisioningOutcome held =
        new ProvisioningOutcome(
            "evt-10",
            "E10",
            Outcome.SCHEDULED,
            new ProvisioningOutcome.Counts(0, 0, 0),
            null,
            null,
            null,
            null,
            List.of(),
            OffsetDateTime.of(2026, 12, 4, 23, 59, 59, 0, ZoneOffset.ofHours(14)));
    LogEntry entry =
        EntryMapper.outcome(held, null, null).chained(5, ChainHash.GENESIS, null, RECORDED);

    assertThat(new String(ChainHash.canonical(entry), StandardCharsets.UTF_8))
        .as("version 1: the due time in the effectiveAt slot, in UTC")
        .startsWith("{\"v\":1,")
        .contains("\"effectiveAt\":\"2026-12-04T09:59:59.000000Z\"")
        .contains("\"outcome\":\"scheduled\"");

    List<AccountOutcome> withNotice =
        List.of(
            new AccountOutcome(
                "111111111111",
                "dev",
                AccountOutcome.State.COMPLETED,
                null,
                null,
                List.of("old access keys left inactive")));
    assertThat(AccountOutcome.canonical(withNotice))
        .isEqualTo(
            "[{\"account\":\"111111111111\",\"name\":\"dev\",\"state\":\"completed\","
                + "\"reason\":null,\"notices\":[\"old access keys left inactive\"]}]");
    assertThat(
            AccountOutcome.parse(
                AccountOutcome.canonical(withNotice), dev.roster.events.EventJson.mapper()))
        .isEqualTo(withNotice);
  }

  @Test
  void nullsAndNumbersAndEscapesAreCanonical() {
    LogEntry outcome =
        new LogEntry(
            3,
            EntryKind.PROVISIONING_OUTCOME,
            null,
            null,
            RECORDED,
            "evt-\"q\"",
            "E1",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "failed",
            2,
            1,
            1,
            null,
            RECORDED,
            "line1\nline2",
            null,
            null);

    assertThat(new String(ChainHash.canonical(outcome), StandardCharsets.UTF_8))
        .contains("\"eventId\":\"evt-\\\"q\\\"\"")
        .contains("\"planned\":2,\"applied\":1,\"failed\":1,\"startedAt\":null")
        .contains("\"reason\":\"line1\\nline2\"");
  }

  @Test
  void handWrittenCanonicalBytesAreTheGeneratorsBytes() {
    Random random = new Random(7);
    // Printable ASCII with quotes and backslashes (written by hand), and what the generator writes
    // instead: control characters, DEL, non-ASCII, a surrogate pair.
    String[] samples = {
      "plain",
      "q\"uote",
      "back\\slash",
      "{\"json\":[1,\"x\"]}",
      "tab\there",
      "nl\n",
      "\u0000",
      "\u007f",
      "caf\u00e9",
      "\u20ac",
      "\ud83d\ude00",
      " ~!#$%&'()*+,-./:;<=>?@[]^_`{|}",
      ""
    };
    List<LogEntry> entries = new ArrayList<>(List.of(change()));
    for (int i = 0; i < 2_000; i++) {
      String a = samples[random.nextInt(samples.length)] + random.nextInt(100);
      String b = random.nextBoolean() ? null : samples[random.nextInt(samples.length)];
      entries.add(
          new LogEntry(
              random.nextInt(1_000_000),
              EntryKind.values()[random.nextInt(EntryKind.values().length)],
              null,
              null,
              RECORDED,
              a,
              "E" + i,
              b,
              random.nextBoolean() ? null : RECORDED.plusSeconds(i),
              null,
              random.nextBoolean() ? null : "{\"payload\":\"" + a + "\"}",
              b,
              "111111111111",
              a,
              null,
              b,
              "applied",
              b,
              null,
              RECORDED.minusNanos(i * 1000L),
              a,
              random.nextBoolean() ? null : i,
              random.nextBoolean() ? null : -i,
              0,
              null,
              RECORDED,
              b,
              random.nextBoolean() ? null : RECORDED,
              random.nextBoolean() ? null : "[{\"account\":\"" + a + "\"}]"));
    }
    int handWritten = 0;
    for (LogEntry e : entries) {
      byte[] generated = ChainHash.generated(e);
      assertThat(ChainHash.canonical(e))
          .as(new String(generated, StandardCharsets.UTF_8))
          .isEqualTo(generated);
      handWritten +=
          new String(generated, StandardCharsets.UTF_8)
                  .chars()
                  .allMatch(c -> c >= 0x20 && c <= 0x7E)
              ? 1
              : 0;
    }
    // Both paths were taken.
    assertThat(handWritten).isBetween(100, entries.size() - 100);
  }

  @Test
  void handWrittenTimestampsAreTheFormattersText() {
    DateTimeFormatter pattern =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    Random random = new Random(42);
    List<Instant> samples =
        new ArrayList<>(
            List.of(
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("1970-01-01T00:00:00Z"),
                Instant.parse("2026-12-31T23:59:59.999999Z"),
                Instant.parse("2028-02-29T12:00:00.000001Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.5Z")));
    long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      samples.add(
          Instant.ofEpochSecond(
              from + (long) (random.nextDouble() * (to - from)), random.nextInt(1_000_000) * 1000));
    }
    for (Instant t : samples) {
      assertThat(ChainHash.timestamp(t)).as(t.toString()).isEqualTo(pattern.format(t));
    }
  }
}
