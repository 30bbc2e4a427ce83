package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under the running auditor for 60 s while records keep arriving, then started
 * again: every record is stored exactly once and the chain verifies.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(RestartableAuditorDatabase.class)
class PostgresRestartTest {
  private static final OffsetDateTime DAY =
      OffsetDateTime.of(2033, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private static HrEvent hire(int i) {
    OffsetDateTime at = DAY.plusMinutes(i);
    return Fixtures.hrEvent(Fixtures.id("E"), EventType.HIRE, at, at);
  }

  private static List<String> storedIds() {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      var request =
          api()
              .queryParam("type", "hire")
              .queryParam("from", DAY.toString())
              .queryParam("to", DAY.plusDays(1).toString())
              .queryParam("limit", 1000);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/v1/hr-events").then().statusCode(200).extract().jsonPath();
      ids.addAll(page.getList("items.eventId", String.class));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return ids;
  }

  @Test
  void aSixtySecondDatabaseRestartLosesAndDuplicatesNothing() {
    Set<String> sent = new TreeSet<>();
    for (int i = 0; i < 10; i++) {
      HrEvent e = hire(i);
      Fixtures.publish(e);
      sent.add(e.eventId());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> storedIds().size() == 10);

    RestartableAuditorDatabase.server().stop();
    long stopped = System.nanoTime();
    int[] next = {10};
    // One record every 2 s while the database is down, for 60 s.
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              HrEvent e = hire(next[0]++);
              Fixtures.publish(e);
              sent.add(e.eventId());
              return Duration.ofNanos(System.nanoTime() - stopped).toSeconds() >= 60;
            });
    RestartableAuditorDatabase.server().start();

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> storedIds().size() >= sent.size());
    List<String> stored = storedIds();
    assertThat(stored).as("each once").doesNotHaveDuplicates();
    assertThat(new TreeSet<>(stored)).isEqualTo(sent);
    assertThat(api().get("/v1/integrity").then().extract().<Boolean>path("ok")).isTrue();
  }
}
