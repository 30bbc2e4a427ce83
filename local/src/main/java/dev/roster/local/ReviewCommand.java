package dev.roster.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.events.CloudEvents;
import dev.roster.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code ./roster review}: the latest review on {@code reviews} (its status record and the findings
 * published before it) as a table or JSON; {@code ./roster review --run} asks the provisioner to
 * start one now ({@code POST /v1/reviews} with the review token as a bearer token).
 */
final class ReviewCommand {
  static final Set<String> SWITCHES = Set.of("--json", "--run");
  static final Set<String> VALUES =
      Set.of("--bootstrap-servers", "--kafka-config", "--data-dir", "--provisioner-url");

  /** The bearer token of {@code POST /v1/reviews}; the local stack keeps it in this file. */
  static final String TOKEN_ENV = "ROSTER_REVIEW_TOKEN";

  static final String TOKEN_FILE = "review-token";

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  private final PrintStream out;

  private ReviewCommand(PrintStream out) {
    this.out = out;
  }

  /** {@code ./roster review ...} (args[0] is "review"); {@code env} holds the token. */
  static int run(PrintStream out, Path root, String[] args, Map<String, String> env) {
    Args a = Args.parse("review", Help.REVIEW_USAGE, args, 1, SWITCHES, VALUES);
    if (!a.positional().isEmpty()) {
      throw new LauncherException(
          "Unexpected argument "
              + a.positional().get(0)
              + " for 'review'; "
              + Help.REVIEW_USAGE
              + ".",
          2,
          null);
    }
    Path dataDir =
        a.value("--data-dir") != null
            ? Path.of(a.value("--data-dir")).toAbsolutePath()
            : root.resolve(".roster");
    ReviewCommand review = new ReviewCommand(out);
    if (a.has("--run")) {
      for (String kafkaOnly : List.of("--bootstrap-servers", "--kafka-config")) {
        if (a.value(kafkaOnly) != null) {
          throw new LauncherException(
              "The option "
                  + kafkaOnly
                  + " does not apply to 'review --run'; "
                  + Help.REVIEW_USAGE
                  + ".",
              2,
              null);
        }
      }
      return review.start(
          provisionerUrl(a.value("--provisioner-url"), dataDir),
          token(env, dataDir),
          a.has("--json"));
    }
    if (a.value("--provisioner-url") != null) {
      throw new LauncherException(
          "The option --provisioner-url only applies to 'review --run'; " + Help.REVIEW_USAGE + ".",
          2,
          null);
    }
    KafkaTarget kafka =
        KafkaTarget.resolve(a.value("--bootstrap-servers"), a.value("--kafka-config"), dataDir);
    return review.show(kafka, a.has("--json"));
  }

  // --- the latest review ------------------------------------------------------------------------

  /** One review as read from the topic: its latest status record and its findings, in order. */
  record Latest(String reviewId, JsonNode status, List<JsonNode> findings, long firstSeen) {}

  int show(KafkaTarget kafka, boolean json) {
    Optional<Latest> latest = latest(kafka.readToEnd(List.of(Topics.REVIEWS), READ_TIMEOUT));
    if (latest.isEmpty()) {
      if (json) {
        ObjectNode none = RecordView.JSON.createObjectNode();
        none.putNull("review");
        none.putArray("findings");
        out.println(none);
      } else {
        out.println(
            "No review on "
                + Topics.REVIEWS
                + " at "
                + kafka.bootstrapServers()
                + " yet; start one with ./roster review --run.");
      }
      return 0;
    }
    Latest l = latest.get();
    List<JsonNode> findings = new ArrayList<>(l.findings());
    findings.sort(
        Comparator.comparing((JsonNode f) -> text(f, "account", ""))
            .thenComparing(f -> text(f, "kind", ""))
            .thenComparing(f -> who(f))
            .thenComparing(f -> text(f, "subject", "")));
    if (json) {
      ObjectNode doc = RecordView.JSON.createObjectNode();
      doc.set("review", status(l));
      ArrayNode items = doc.putArray("findings");
      findings.forEach(items::add);
      out.println(doc);
      return 0;
    }
    out.println(header(l));
    if (findings.isEmpty()) {
      out.println("No findings.");
      return 0;
    }
    out.printf("%-14s %-30s %-32s %-28s %s%n", "ACCOUNT", "KIND", "USER", "SUBJECT", "DETAIL");
    for (JsonNode f : findings) {
      out.printf(
          "%-14s %-30s %-32s %-28s %s%n",
          text(f, "account", "-"),
          text(f, "kind", "-"),
          who(f),
          text(f, "subject", "-"),
          oneLine(text(f, "detail", "-")));
    }
    return 0;
  }

  /**
   * The review that started last (its first record's time breaking a tie), from every record of the
   * topic: status records replace each other by offset, findings are collected under their id.
   */
  static Optional<Latest> latest(List<ConsumerRecord<String, String>> records) {
    Map<String, JsonNode> status = new LinkedHashMap<>();
    Map<String, List<JsonNode>> findings = new LinkedHashMap<>();
    Map<String, Long> firstSeen = new LinkedHashMap<>();
    List<ConsumerRecord<String, String>> ordered = new ArrayList<>(records);
    ordered.sort(
        Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    for (ConsumerRecord<String, String> r : ordered) {
      JsonNode v = parse(r.value());
      if (v == null) {
        continue; // not a review record: nothing an operator could read in it
      }
      String type = RecordView.header(r, CloudEvents.HEADER_TYPE);
      boolean finding =
          CloudEvents.FINDING_TYPE.equals(type) || (type == null && v.has("findingId"));
      String id = text(v, "reviewId", r.key());
      if (id == null) {
        continue;
      }
      firstSeen.merge(id, r.timestamp(), Long::min);
      if (finding) {
        findings.computeIfAbsent(id, k -> new ArrayList<>()).add(v);
      } else if (CloudEvents.REVIEW_TYPE.equals(type) || type == null) {
        status.put(id, v);
      }
    }
    return firstSeen.keySet().stream()
        .map(
            id ->
                new Latest(
                    id, status.get(id), findings.getOrDefault(id, List.of()), firstSeen.get(id)))
        .max(
            Comparator.comparing((Latest l) -> startedAt(l.status()))
                .thenComparingLong(Latest::firstSeen));
  }

  /** A status record's {@code startedAt} as an instant; none or unreadable sorts first. */
  private static Instant startedAt(JsonNode status) {
    String t = text(status, "startedAt", null);
    if (t != null) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        // sorts as unknown
      }
    }
    return Instant.MIN;
  }

  /** The status record, or (findings seen, no status yet) the id alone. */
  private static JsonNode status(Latest l) {
    if (l.status() != null) {
      return l.status();
    }
    ObjectNode s = RecordView.JSON.createObjectNode();
    s.put("reviewId", l.reviewId());
    return s;
  }

  /**
   * {@code review <id> <status> started <t> completed <t> <n> findings (kind n, ...)}; the counts
   * are the status record's, else those of the findings read.
   */
  static String header(Latest l) {
    JsonNode s = status(l);
    StringBuilder b = new StringBuilder("review ").append(l.reviewId());
    b.append("  ").append(text(s, "status", "unknown"));
    b.append("  started ").append(text(s, "startedAt", "-"));
    b.append("  completed ").append(text(s, "completedAt", "-"));
    Map<String, Integer> counts = new TreeMap<>();
    JsonNode c = s.path("counts");
    if (c.isObject()) {
      c.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
    } else {
      l.findings().forEach(f -> counts.merge(text(f, "kind", "-"), 1, Integer::sum));
    }
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    b.append("  ").append(total).append(total == 1 ? " finding" : " findings");
    if (!counts.isEmpty()) {
      List<String> parts = new ArrayList<>();
      counts.forEach((k, n) -> parts.add(k + " " + n));
      b.append(" (").append(String.join(", ", parts)).append(")");
    }
    if (s.path("accounts").isArray() && !s.path("accounts").isEmpty()) {
      List<String> accounts = new ArrayList<>();
      s.path("accounts").forEach(a -> accounts.add(a.asText()));
      b.append("  accounts ").append(String.join(",", accounts));
    }
    String reason = text(s, "reason", null);
    if (reason != null) {
      b.append("  reason: ").append(oneLine(reason));
    }
    return b.toString();
  }

  /** {@code user (employee)}, whichever is known, else a dash. */
  private static String who(JsonNode f) {
    String user = text(f, "userName", null);
    String employee = text(f, "employeeId", null);
    if (user != null && employee != null) {
      return user + " (" + employee + ")";
    }
    return user != null ? user : employee != null ? employee : "-";
  }

  // --- review --run ------------------------------------------------------------------------------

  /**
   * {@code POST /v1/reviews}: 202 with {@code {"reviewId", "status"}}, or 409 (problem+json) while
   * a review runs.
   */
  int start(URI provisioner, String token, boolean json) {
    URI uri = provisioner.resolve("/v1/reviews");
    HttpResponse<String> r;
    try {
      r =
          HttpClient.newBuilder()
              .connectTimeout(HTTP_TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(uri)
                      .header("Authorization", "Bearer " + token)
                      .header("Accept", "application/json")
                      .timeout(HTTP_TIMEOUT)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new LauncherException(
          "The provisioner is not answering at "
              + provisioner
              + "; start the stack with ./roster up or give --provisioner-url URL.");
    } catch (IOException e) {
      throw new LauncherException(
          "POST " + uri + " failed: " + LauncherException.rootMessage(e) + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
    JsonNode body = parse(r.body());
    switch (r.statusCode()) {
      case 202 -> {
        if (json) {
          out.println(body != null ? body.toString() : r.body());
        } else {
          out.println(
              "roster: review "
                  + text(body, "reviewId", "?")
                  + " "
                  + text(body, "status", "running")
                  + "; ./roster review shows it once it completes.");
        }
        return 0;
      }
      case 409 ->
          throw new LauncherException(
              "A review is already running"
                  + problem(body)
                  + "; ./roster review shows it, try again once it completes.");
      case 401 ->
          throw new LauncherException(
              "The provisioner refused the review token (401); check " + TOKEN_ENV + ".");
      case 403 ->
          throw new LauncherException(
              "The provisioner takes no on-demand reviews (403"
                  + problem(body)
                  + "); give it "
                  + TOKEN_ENV
                  + ".");
      default ->
          throw new LauncherException(
              "POST " + uri + " answered " + r.statusCode() + problem(body) + ".");
    }
  }

  /** {@code ": <detail or title>"} of a problem+json body, else nothing. */
  private static String problem(JsonNode body) {
    String detail = text(body, "detail", text(body, "title", null));
    return detail == null ? "" : ": " + oneLine(detail).replaceAll("\\.$", "");
  }

  /** {@code ROSTER_REVIEW_TOKEN}, else the local stack's token file; never printed. */
  static String token(Map<String, String> env, Path dataDir) {
    String t = env.get(TOKEN_ENV);
    if (t != null && !t.isBlank()) {
      return t.strip();
    }
    Path file = dataDir.resolve(TOKEN_FILE);
    if (Files.isRegularFile(file)) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new LauncherException("Cannot read " + file + ": " + e.getMessage() + ".", e);
      }
    }
    throw new LauncherException(
        "No review token: set " + TOKEN_ENV + " or start the stack with ./roster up.");
  }

  /** {@code --provisioner-url}, else the provisioner of the stack running from the data dir. */
  static URI provisionerUrl(String option, Path dataDir) {
    if (option != null) {
      if (!option.matches("https?://\\S+")) {
        throw new LauncherException(
            "--provisioner-url needs a URL such as http://127.0.0.1:8081; "
                + Help.REVIEW_USAGE
                + ".",
            2,
            null);
      }
      return URI.create(option);
    }
    Properties state = Launcher.readState(dataDir).orElseGet(Properties::new);
    String port =
        state.getProperty(
            "port." + Component.PROVISIONER.name(),
            Integer.toString(Component.PROVISIONER.defaultPort()));
    return URI.create("http://127.0.0.1:" + port);
  }

  // --- JSON -------------------------------------------------------------------------------------

  private static JsonNode parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      JsonNode n = RecordView.JSON.readTree(value);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String text(JsonNode v, String field, String fallback) {
    if (v == null) {
      return fallback;
    }
    JsonNode n = v.get(field);
    return n == null || n.isNull() ? fallback : n.asText();
  }

  private static String oneLine(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() <= 120 ? one : one.substring(0, 117) + "...";
  }
}
