package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.auditor.anchor.Anchor;
import dev.roster.auditor.anchor.AnchorKey;
import dev.roster.auditor.anchor.AnchorPublisher;
import dev.roster.auditor.anchor.AnchorTopicClient;
import dev.roster.auditor.chain.ChainHash;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.auditor.chain.LogStore;
import dev.roster.events.Topics;
import dev.roster.sandbox.kafka.KafkaTestResource;
import dev.roster.sandbox.postgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The chain head signed outside the database, and a rewrite nobody inside it can hide. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class AnchorTest {
  @Inject AnchorPublisher publisher;
  @Inject AnchorTopicClient topic;
  @Inject AnchorKey key;

  @Test
  void theHeadIsSignedAndPublishedPeriodicallyToTheCompactedTopic() throws Exception {
    long seq = TamperEvidenceTest.storeSomeEntries();

    // No call here: the schedule (every 2 s in tests) anchors the new head.
    Anchor anchor =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> topic.latest(), a -> a.isPresent() && a.get().seq() > seq)
            .orElseThrow();
    assertThat(anchor.hash()).hasSize(64);
    assertThat(anchor.keyId()).isEqualTo(key.keyId());
    assertThat(anchor.algorithm()).isEqualTo("Ed25519");
    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initVerify(key.publicKey());
    ed25519.update(
        ("roster-audit-anchor/1\n" + anchor.seq() + "\n" + anchor.hash() + "\n" + anchor.signedAt())
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ed25519.verify(Base64.getDecoder().decode(anchor.signature()))).isTrue();
    assertThat(hashAt(anchor.seq())).isEqualTo(anchor.hash());

    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIT_ANCHORS);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    JsonPath integrity = api().get("/v1/integrity").then().statusCode(200).extract().jsonPath();
    assertThat(integrity.getBoolean("ok")).isTrue();
    assertThat(integrity.getString("anchor.result")).isEqualTo("matches");
    assertThat(integrity.getLong("anchor.seq")).isGreaterThan(seq);
    assertThat(integrity.getString("anchor.keyId")).isEqualTo(key.keyId());
  }

  @Test
  void aWholeChainRewrittenByTheOwnerIsReportedAtTheAnchoredSeq() throws Exception {
    long seq = TamperEvidenceTest.storeSomeEntries();
    Anchor anchor = publisher.anchorNow().orElseThrow();
    assertThat(anchor.seq()).isGreaterThan(seq);

    List<Object[]> saved = new ArrayList<>();
    try (Connection c = PostgresTestResource.server().superuserConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET session_replication_role = replica");
        // Holds the writers' chain lock, so no append interleaves with the rewrite.
        s.execute("SELECT pg_advisory_xact_lock(" + LogStore.CHAIN_LOCK_KEY + ")");
        try (ResultSet rs =
            s.executeQuery(
                "SELECT seq, target, prev_hash, hash FROM audit_log WHERE seq >= "
                    + seq
                    + " ORDER BY seq")) {
          while (rs.next()) {
            saved.add(
                new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
          }
        }
        // Someone holding the owner's credentials: edit one entry, recompute every hash after
        // it, move the head along. The chain is consistent again.
        s.execute("UPDATE audit_log SET target = 'admins' WHERE seq = " + seq);
        rechain(c, seq);
        s.execute(
            "UPDATE chain_head h SET hash = a.hash FROM audit_log a WHERE a.seq = h.seq AND h.seq >= "
                + seq);
      }
      c.commit();
    }
    try {
      JsonPath inside =
          api()
              .queryParam("fromSeq", 1)
              .queryParam("toSeq", anchor.seq() - 1)
              .get("/v1/integrity")
              .then()
              .extract()
              .jsonPath();
      assertThat(inside.getBoolean("ok"))
          .as("the rows alone are consistent: only the anchor can tell")
          .isTrue();
      assertThat(inside.getString("anchor.result")).isEqualTo("not-in-range");

      JsonPath broken = api().get("/v1/integrity").then().statusCode(200).extract().jsonPath();
      assertThat(broken.getBoolean("ok")).isFalse();
      assertThat(broken.getLong("firstBrokenSeq")).isEqualTo(anchor.seq());
      assertThat(broken.getString("anchor.result")).isEqualTo("mismatch");
      assertThat(broken.getLong("anchor.seq")).isEqualTo(anchor.seq());
      assertThat(broken.getString("anchor.hash")).isEqualTo(anchor.hash());

      assertThat(publisher.anchorNow()).as("the rewrite is never signed").isEmpty();
      assertThat(topic.latest().map(Anchor::hash)).contains(anchor.hash());
    } finally {
      try (Connection c = PostgresTestResource.server().superuserConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SET session_replication_role = replica");
          s.execute("SELECT pg_advisory_xact_lock(" + LogStore.CHAIN_LOCK_KEY + ")");
        }
        try (PreparedStatement restore =
            c.prepareStatement(
                "UPDATE audit_log SET target = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
          for (Object[] row : saved) {
            restore.setString(1, (String) row[1]);
            restore.setString(2, (String) row[2]);
            restore.setString(3, (String) row[3]);
            restore.setLong(4, (Long) row[0]);
            restore.executeUpdate();
          }
        }
        // Entries appended while the rewrite stood were chained onto the forged hashes: chain
        // them onto the restored ones, as the writer would have.
        long lastSaved = saved.isEmpty() ? seq - 1 : (Long) saved.get(saved.size() - 1)[0];
        rechain(c, lastSaved + 1);
        try (Statement s = c.createStatement()) {
          s.execute(
              "UPDATE chain_head h SET hash = a.hash FROM audit_log a WHERE a.seq = h.seq AND h.seq >= "
                  + seq);
        }
        c.commit();
      }
    }
    assertThat(api().get("/v1/integrity").then().extract().<Boolean>path("ok")).isTrue();
  }

  /** Recomputes prev_hash and hash of every entry from {@code seq} on, as an attacker would. */
  private static void rechain(Connection c, long seq) throws Exception {
    String prev;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash FROM audit_log WHERE seq = " + (seq - 1))) {
      prev = rs.next() ? rs.getString(1) : ChainHash.GENESIS;
    }
    List<LogEntry> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT * FROM audit_log WHERE seq >= " + seq + " ORDER BY seq")) {
      while (rs.next()) {
        rows.add(LogStore.read(rs));
      }
    }
    try (PreparedStatement update =
        c.prepareStatement("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?")) {
      for (LogEntry e : rows) {
        String hash = ChainHash.hash(prev, e);
        update.setString(1, prev);
        update.setString(2, hash);
        update.setLong(3, e.seq());
        update.executeUpdate();
        prev = hash;
      }
    }
  }

  private static String hashAt(long seq) throws Exception {
    try (Connection c = PostgresTestResource.server().superuserConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash FROM audit_log WHERE seq = " + seq)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
