package dev.roster.auditor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.roster.events.EventJson;
import dev.roster.events.SignatureVerdict;
import dev.roster.events.WebhookSignature;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A notification receiver on a local port, as a customer's would be: it verifies every request's
 * {@code X-Roster-Signature} with the shared {@link WebhookSignature} (401 when it does not
 * verify), and can be told to fail the requests about one fact a number of times.
 */
public class Receiver implements QuarkusTestResourceLifecycleManager {
  /** The secret the auditor signs with in these tests (32 bytes or more). */
  public static final String SECRET = "test-notify-secret-0123456789abcdef";

  /** One request as it arrived. */
  public record Request(
      String signature, String contentType, byte[] body, SignatureVerdict verdict, int status) {
    public JsonNode json() {
      try {
        return EventJson.mapper().readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
  private static final WebhookSignature VERIFIER =
      new WebhookSignature(List.of(SECRET), Duration.ofSeconds(300), Clock.systemUTC());

  private static final AtomicBoolean HANGING = new AtomicBoolean();
  private static volatile String hangOn;
  private static volatile CountDownLatch gate = new CountDownLatch(0);

  private HttpServer server;

  /**
   * Hold the next request whose body names {@code value} unanswered until {@link #release} (at most
   * 60 s), as a receiver that stopped answering would.
   */
  public static void hangOnce(String value) {
    gate = new CountDownLatch(1);
    hangOn = value;
  }

  /** Whether a request is being held unanswered now. */
  public static boolean hanging() {
    return HANGING.get();
  }

  /** Lets the held request be answered. */
  public static void release() {
    gate.countDown();
  }

  /** Every request received so far, in order. */
  public static List<Request> requests() {
    return List.copyOf(REQUESTS);
  }

  /** The requests whose body names {@code value} (an event, reconciliation or finding id). */
  public static List<Request> about(String value) {
    return REQUESTS.stream()
        .filter(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains(value))
        .toList();
  }

  /** The requests about {@code value} that verified and were answered 2xx. */
  public static List<Request> delivered(String value) {
    return about(value).stream().filter(r -> r.status() / 100 == 2).toList();
  }

  /** Answer 503 to the next {@code times} requests whose body names {@code value}. */
  public static void failFor(String value, int times) {
    FAILURES.put(value, new AtomicInteger(times));
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/hooks/roster",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
          SignatureVerdict verdict = VERIFIER.verify(signature, body);
          String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
          String hang = hangOn;
          if (hang != null && text.contains(hang)) {
            hangOn = null;
            HANGING.set(true);
            try {
              gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              HANGING.set(false);
            }
          }
          int status = verdict == SignatureVerdict.VALID ? 200 : 401;
          for (Map.Entry<String, AtomicInteger> f : FAILURES.entrySet()) {
            if (text.contains(f.getKey()) && f.getValue().getAndDecrement() > 0) {
              status = 503;
            }
          }
          REQUESTS.add(
              new Request(
                  signature,
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body,
                  verdict,
                  status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return Map.of(
        "roster.notify.url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/roster",
        "roster.notify.secret",
        SECRET);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
