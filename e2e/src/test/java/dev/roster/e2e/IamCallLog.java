package dev.roster.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IAM calls of one process, as IAM received them: an endpoint that forwards every request
 * unchanged to the IAM sandbox and notes its action, user and times. The sandbox counts calls per
 * account only, so when two provisioners act on the same sandbox, each given its own log as {@code
 * ROSTER_IAM_ENDPOINT} says which of them made which call and when.
 */
final class IamCallLog implements AutoCloseable {
  /** One call: when it reached this endpoint and when IAM's answer came back. */
  record Call(String action, String userName, Instant sent, Instant answered, int status) {
    /** Changes something in IAM (reads and STS are not mutations). */
    boolean mutation() {
      return !action.startsWith("Get")
          && !action.startsWith("List")
          && !action.startsWith("Simulate")
          && !STS.contains(action);
    }
  }

  private static final Set<String> STS = Set.of("AssumeRole", "GetCallerIdentity");

  /** Headers the JDK client sets itself and refuses from the caller. */
  private static final Set<String> RESTRICTED =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

  private final URI target;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

  IamCallLog(String targetUrl) {
    this.target = URI.create(targetUrl);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::forward);
    // Latency faults hold a call for a while: one thread per call in flight, never a queue.
    server.setExecutor(threads);
    server.start();
  }

  /** The endpoint to give a process instead of the sandbox's. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every call so far, in the order they came back. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls that named this IAM user. */
  List<Call> on(String userName) {
    return calls.stream().filter(c -> userName.equalsIgnoreCase(c.userName())).toList();
  }

  /** Calls of {@code action} received so far, those still waiting for IAM's answer included. */
  long received(String action) {
    AtomicLong n = received.get(action);
    return n == null ? 0 : n.get();
  }

  /** Calls of {@code action} IAM has answered (each counted by the sandbox before it answered). */
  long answered(String action) {
    return calls.stream().filter(c -> c.action().equals(action)).count();
  }

  private void forward(HttpExchange exchange) throws IOException {
    Instant sent = Instant.now();
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> form =
        form(
            new String(body, StandardCharsets.UTF_8)
                + "&"
                + (exchange.getRequestURI().getRawQuery() == null
                    ? ""
                    : exchange.getRequestURI().getRawQuery()));
    received
        .computeIfAbsent(form.getOrDefault("Action", ""), a -> new AtomicLong())
        .incrementAndGet();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
            .timeout(Duration.ofSeconds(60))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    try (exchange) {
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      calls.add(
          new Call(
              form.getOrDefault("Action", ""),
              form.get("UserName"),
              sent,
              Instant.now(),
              answer.statusCode()));
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] bytes = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private static Map<String, String> form(String encoded) {
    Map<String, String> out = new HashMap<>();
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
