package dev.roster.e2e;

import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.local.Component;
import dev.roster.local.LauncherException;
import dev.roster.local.Signatures;
import dev.roster.local.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ConcurrentModificationException;

/**
 * One local stack per test JVM of the e2e module, started through the launcher API from the
 * packaged jars (the reactor packages the services before this module). Tests talk to it over HTTP
 * only, plus the AWS SDK against the IAM sandbox to check what Roster did.
 */
final class E2eStack {
  private static Stack stack;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Map<String, IamClient> IAM = new ConcurrentHashMap<>();

  private E2eStack() {}

  /** The running stack; skips (not fails) when a service has not been packaged. */
  static synchronized Stack get() {
    if (stack != null) {
      return stack;
    }
    Path root = RepoRoot.find();
    // Surefire runs the test classes in several JVMs (forkCount): one stack, and one data
    // directory, per JVM.
    Path dataDir = root.resolve("e2e/target/e2e-stack" + System.getProperty("roster.e2e.fork", ""));
    Path log = dataDir.resolve("stack-output.log");
    Stack built =
        Stack.builder()
            .root(root)
            .dataDir(dataDir)
            .fresh(true)
            .randomPorts()
            // As ./roster up: SASL and ACLs, each service with exactly its own Kafka access.
            .kafkaSecurity(true)
            // The provisioner held to deploy/aws's policies and boundary in every account.
            .iamEnforcement(true)
            .webhookSecret("e2e-webhook-secret-0123456789abcdef")
            .auditorPassword("e2e-auditor-password")
            // The throttling story fails 30 % of ~2,400 IAM calls: at the default 8 attempts about
            // one run in seven has a call throttled every time; 12 make that one in ~3,000.
            .env(Component.PROVISIONER, "ROSTER_IAM_RETRY_MAX_ATTEMPTS", "12")
            .readyTimeout(Duration.ofSeconds(240))
            .logSink(line -> append(log, line))
            .build();
    if (!built.unpackaged().isEmpty()) {
      abort("not packaged (run ./mvnw -B verify from the root): " + built.unpackaged());
    }
    long t0 = System.nanoTime();
    try {
      stack = built.start();
    } catch (LauncherException e) {
      throw new AssertionError("the stack did not start: " + e.getMessage(), e);
    }
    System.out.printf(
        "e2e: stack started in %.1f s (data %s)%n", (System.nanoTime() - t0) / 1e9, dataDir);
    return stack;
  }

  private static synchronized void append(Path log, String line) {
    try {
      Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // Logging must not break a test.
    }
  }

  // --- hr-listener --------------------------------------------------------------------------

  /**
   * Posts one signed event, retrying like an HR system would while the answer is 503 or the
   * connection fails (e.g. the broker restarting); returns the final status.
   */
  static int post(String json) {
    return post("/v1/events", "application/json", json.getBytes(StandardCharsets.UTF_8)).status();
  }

  /** An hr-listener answer: status and body (-1 and empty when it could not be reached). */
  record Answer(int status, String body) {}

  /**
   * Posts one signed body to hr-listener, retrying like an HR system would while the answer is 503
   * or the connection fails (e.g. the broker restarting).
   */
  static Answer post(String path, String contentType, byte[] body) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Answer answer = new Answer(-1, "");
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(get().url(Component.HR_LISTENER) + path))
                    .header("Content-Type", contentType)
                    .header(Signatures.HEADER, Signatures.header(get().webhookSecret(), body))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        answer = new Answer(r.statusCode(), r.body());
        if (r.statusCode() != 503) {
          return answer;
        }
      } catch (IOException e) {
        answer = new Answer(-1, "");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Answer(-1, "");
      }
      pause(500);
    }
    return answer;
  }

  // --- auditor ------------------------------------------------------------------------------

  /** GET on the auditor API as user auditor; null on 404. */
  static JsonNode auditor(String pathAndQuery) {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (Stack.AUDITOR_USER + ":" + get().auditorPassword())
                    .getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(get().url(Component.AUDITOR) + pathAndQuery))
                  .header("Authorization", "Basic " + auth)
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return null;
      }
      if (r.statusCode() != 200) {
        throw new AssertionError("auditor " + pathAndQuery + " -> " + r.statusCode() + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      return null; // the auditor may be restarting; callers poll
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Every item of a keyset-paginated auditor listing. */
  static List<JsonNode> auditorAll(String path, String query) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      String q =
          path
              + "?limit=1000"
              + (query.isEmpty() ? "" : "&" + query)
              + (cursor == null ? "" : "&cursor=" + enc(cursor));
      JsonNode page = auditor(q);
      if (page == null) {
        throw new AssertionError("auditor did not answer " + q);
      }
      page.path("items").forEach(all::add);
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    return all;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // --- IAM (checking only) --------------------------------------------------------------------

  /** An SDK client acting in an account of the sandbox (the access key id selects it). */
  static IamClient iam(String accountId) {
    return IAM.computeIfAbsent(
        accountId,
        id ->
            IamClient.builder()
                .endpointOverride(URI.create(get().url(Component.IAM)))
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(id, "e2e")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // Checks and seeding must get through the throttling and the concurrent
                // modifications a fault test switches on.
                .overrideConfiguration(
                    o ->
                        o.retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(12)
                                .retryOnExceptionInstanceOf(ConcurrentModificationException.class)
                                .build()))
                .build());
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis); // between HTTP retries to another process
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
