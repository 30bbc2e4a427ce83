package dev.roster.bench.stack;

import dev.roster.bench.Stacks;
import dev.roster.bench.load.Events;
import dev.roster.bench.load.HttpLoad;
import dev.roster.local.Signatures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The HR side: signed POSTs to hr-listener, as an HR system sends them. */
final class Hr {
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  Hr(int port) {
    this.port = port;
  }

  /** Posts events in signed batches of up to 500; fails unless every batch is accepted. */
  void postAll(List<String> events) throws Exception {
    postAll(events, 500);
  }

  /** The same in batches of up to {@code size} (hr-listener takes up to 1,000 per request). */
  void postAll(List<String> events, int size) throws Exception {
    for (int from = 0; from < events.size(); from += size) {
      String body =
          "[" + String.join(",", events.subList(from, Math.min(from + size, events.size()))) + "]";
      byte[] bytes = Events.bytes(body);
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/batch"))
                  .header("Content-Type", "application/json")
                  .header(Signatures.HEADER, Signatures.header(Stacks.SECRET, bytes))
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) {
        throw new IllegalStateException("batch refused: " + r.statusCode() + " " + r.body());
      }
    }
  }

  /** Posts one signed CSV snapshot ({@code mode} report or apply); returns the 202 body. */
  String snapshot(byte[] csv, String mode) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/snapshots?mode=" + mode))
                .header("Content-Type", "text/csv")
                .header(Signatures.HEADER, Signatures.header(Stacks.SECRET, csv))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("snapshot refused: " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** One signed single-event request for the load generator, tagged with the event id. */
  HttpLoad.Request single(String eventId, String json) {
    byte[] bytes = Events.bytes(json);
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/json")
            .add(Signatures.HEADER, Signatures.header(Stacks.SECRET, bytes));
    return new HttpLoad.Request(
        HttpMethod.POST, "/v1/events", headers, Buffer.buffer(bytes), eventId);
  }
}
