package dev.roster.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.sandbox.iam.Totp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./roster up --demo}: a short, signed HR story through the running stack, then what Roster
 * did about it, read back from the auditor.
 */
final class Demo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final Stack stack;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String run = Long.toString(Instant.now().getEpochSecond(), 36);

  Demo(Stack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  record Step(String person, String eventId, String type, String summary) {}

  void run() {
    out.println("demo        | posting a signed HR story (two hires, a role change, a leave)...");
    String ada = "E-ADA-" + run;
    String grace = "E-GRACE-" + run;
    Step hireAda = post(ada, "hire", "ada.lovelace." + run, List.of("developer"), null);
    Step hireGrace = post(grace, "hire", "grace.hopper." + run, List.of("developer", "sre"), null);
    awaitOutcome(hireAda);
    awaitOutcome(hireGrace);

    // People create credentials themselves after joining; the leave must find and cut them.
    if (stack.usesSandbox()) {
      seedCredentials("grace.hopper." + run);
    }
    Step move = post(ada, "role_change", null, List.of("project-manager"), null);
    Instant leavePosted = Instant.now();
    Step leave = post(grace, "leave", null, null, "resigned");
    JsonNode leaveDetail = awaitOutcome(leave);
    Duration measured = Duration.between(leavePosted, Instant.now());
    awaitOutcome(move);

    out.println();
    out.println("What HR said, and what Roster changed in IAM (from the auditor's log):");
    for (Step s : List.of(hireAda, hireGrace, move, leave)) {
      out.println("  " + s.person() + ": HR said " + s.summary());
      JsonNode detail = auditorEvent(s.eventId()).orElse(JSON.createObjectNode());
      JsonNode changes = detail.path("changes");
      if (!changes.isArray() || changes.isEmpty()) {
        out.println("      (no IAM change recorded)");
      }
      for (JsonNode c : changes) {
        out.printf(
            "      %-8s %-12s %-32s %s%n",
            c.path("status").asText(),
            c.path("account").asText(),
            c.path("action").asText(),
            c.path("target").asText(""));
      }
      String outcome =
          detail.path("outcome").path("outcome").asText(detail.path("outcome").asText(""));
      if (!outcome.isEmpty()) {
        out.println("      outcome: " + outcome);
      }
    }
    String lag = lagText(leaveDetail).orElse(measured.toMillis() + " ms (measured by the demo)");
    out.println();
    out.println("Time to cut-off for the leaver (effectiveAt -> every way in closed): " + lag);
    out.println();
  }

  private Step post(
      String employeeId, String type, String username, List<String> roles, String reason) {
    String eventId = "demo-" + run + "-" + employeeId + "-" + type;
    ObjectNode e = JSON.createObjectNode();
    String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
    e.put("eventId", eventId).put("type", type).put("employeeId", employeeId);
    e.put("occurredAt", now).put("effectiveAt", now);
    ObjectNode emp = e.putObject("employee");
    if (username != null) {
      String display = username.substring(0, username.lastIndexOf('.'));
      emp.put("username", username)
          .put("email", display + "@example.com")
          .put("displayName", display.replace('.', ' '))
          .put("department", "Engineering")
          .put("title", "Engineer");
    }
    if (roles != null) {
      roles.forEach(emp.putArray("roles")::add);
    }
    if (emp.isEmpty()) {
      e.remove("employee");
    }
    if (reason != null) {
      e.put("reason", reason);
    }
    byte[] body = e.toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(stack.url(Component.HR_LISTENER) + "/v1/events"))
                .header("Content-Type", "application/json")
                .header(Signatures.HEADER, Signatures.header(stack.webhookSecret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    if (r.statusCode() != 202) {
      throw new LauncherException(
          "The demo's "
              + type
              + " was refused by hr-listener (HTTP "
              + r.statusCode()
              + "): "
              + r.body());
    }
    String summary =
        switch (type) {
          case "hire" -> "hire as " + username + " with roles " + roles;
          case "role_change" -> "role change to " + roles;
          default -> "leave (" + reason + ")";
        };
    return new Step(
        employeeId + (username != null ? " (" + username + ")" : ""), eventId, type, summary);
  }

  /** Waits until the auditor holds the event's outcome, and returns the auditor's view. */
  private JsonNode awaitOutcome(Step s) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> d = auditorEvent(s.eventId());
      if (d.isPresent() && hasOutcome(d.get())) {
        return d.get();
      }
      sleep(300);
    }
    throw new LauncherException(
        "The demo's "
            + s.type()
            + " of "
            + s.person()
            + " did not settle within "
            + SETTLE.toSeconds()
            + " s; see the logs above.");
  }

  private static boolean hasOutcome(JsonNode d) {
    JsonNode o = d.path("outcome");
    return !o.isMissingNode() && !o.isNull() && !(o.isTextual() && o.asText().isEmpty());
  }

  private Optional<JsonNode> auditorEvent(String eventId) {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (Stack.AUDITOR_USER + ":" + stack.auditorPassword())
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                    URI.create(stack.url(Component.AUDITOR) + "/v1/hr-events/" + encode(eventId)))
                .header("Authorization", "Basic " + auth)
                .header("Accept", "application/json")
                .GET()
                .build());
    if (r.statusCode() != 200) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(r.body()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> lagText(JsonNode detail) {
    if (detail.path("lagSeconds").isNumber()) {
      return Optional.of(String.format("%.2f s", detail.path("lagSeconds").asDouble()));
    }
    for (String field : List.of("lag", "lagMillis", "lagMs")) {
      JsonNode n = detail.path(field);
      if (n.isNumber()) {
        return Optional.of(n.asLong() + " ms");
      }
      if (n.isTextual() && !n.asText().isBlank()) {
        return Optional.of(n.asText());
      }
    }
    return Optional.empty();
  }

  /** Login profile, access key and MFA device, created as the person would, in every account. */
  private void seedCredentials(String userName) {
    for (RoleMappingFile.Account a : stack.roles().accounts().values()) {
      String account = a.id();
      if (!iam(account, Map.of("Action", "GetUser", "UserName", userName)).contains("<UserName>")) {
        continue;
      }
      iam(
          account,
          Map.of(
              "Action",
              "CreateLoginProfile",
              "UserName",
              userName,
              "Password",
              "Demo-Passw0rd-" + run));
      iam(account, Map.of("Action", "CreateAccessKey", "UserName", userName));
      String mfa =
          iam(
              account,
              Map.of("Action", "CreateVirtualMFADevice", "VirtualMFADeviceName", userName));
      Matcher serial = Pattern.compile("<SerialNumber>([^<]+)</SerialNumber>").matcher(mfa);
      Matcher seed = Pattern.compile("<Base32StringSeed>([^<]+)</Base32StringSeed>").matcher(mfa);
      if (serial.find() && seed.find()) {
        long step = System.currentTimeMillis() / 30_000;
        // The seed is a blob on the wire: base64 of the base32 text.
        String base32 =
            new String(Base64.getDecoder().decode(seed.group(1)), StandardCharsets.US_ASCII);
        iam(
            account,
            Map.of(
                "Action", "EnableMFADevice",
                "UserName", userName,
                "SerialNumber", serial.group(1),
                "AuthenticationCode1", Totp.code(base32, step - 1),
                "AuthenticationCode2", Totp.code(base32, step)));
      }
      out.println(
          "demo        | "
              + userName
              + " created a console password, an access key and an MFA device in "
              + a.name());
    }
  }

  /** One IAM Query API call to the sandbox, signed (unverified) as the account's own admin. */
  private String iam(String account, Map<String, String> params) {
    Map<String, String> all = new LinkedHashMap<>(params);
    all.put("Version", "2010-05-08");
    StringBuilder form = new StringBuilder();
    all.forEach(
        (k, v) ->
            form.append(form.length() == 0 ? "" : "&")
                .append(encode(k))
                .append('=')
                .append(encode(v)));
    String date =
        java.time.format.DateTimeFormatter.BASIC_ISO_DATE.format(
            java.time.LocalDate.now(ZoneOffset.UTC));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(stack.url(Component.IAM) + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential="
                        + account
                        + "/"
                        + date
                        + "/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build());
    return r.body();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LauncherException(
          "The demo lost the stack: " + LauncherException.rootMessage(e) + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("The demo was interrupted.", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // polling another process's HTTP API
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("The demo was interrupted.", e);
    }
  }
}
