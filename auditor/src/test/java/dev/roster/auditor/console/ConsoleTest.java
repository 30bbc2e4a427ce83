package dev.roster.auditor.console;

import static dev.roster.auditor.Fixtures.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.auditor.AuditorDatabase;
import dev.roster.auditor.Fixtures;
import dev.roster.events.DifferenceKind;
import dev.roster.events.FindingKind;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import dev.roster.events.Review;
import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web console's pages render what the log holds (through the API's own query code), need the
 * API's authentication and role, and escape every value.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ConsoleTest {
  private static final List<String> PAGES =
      List.of(
          "/console",
          "/console/changes",
          "/console/employee",
          "/console/leavers",
          "/console/integrity",
          "/console/scheduled",
          "/console/reconciliations",
          "/console/reconciliation",
          "/console/findings");

  private static String html(String path, Object... params) {
    var req = api().redirects().follow(false);
    for (int i = 0; i < params.length; i += 2) {
      req = req.queryParam((String) params[i], params[i + 1]);
    }
    return req.get(path).then().statusCode(200).contentType("text/html").extract().asString();
  }

  /** No markup from the data: the hostile values appear escaped, never as a script tag. */
  private static void assertEscaped(String page) {
    assertThat(page).contains("E&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(page).doesNotContain("<script>alert");
  }

  @Test
  void everyPageNeedsTheAuditorRole() {
    for (String path : PAGES) {
      given().redirects().follow(false).get(path).then().statusCode(401);
      given()
          .auth()
          .preemptive()
          .basic("visitor", "visitor")
          .redirects()
          .follow(false)
          .get(path)
          .then()
          .statusCode(403);
    }
    // one wrong password only (more would be slowed by the failure throttle); a success resets it
    given()
        .auth()
        .preemptive()
        .basic("auditor", "wrong")
        .get("/console/changes")
        .then()
        .statusCode(401);
    api().redirects().follow(false).get("/console").then().statusCode(303);
  }

  @Test
  void changesPageFiltersPagesAndLinksTheCsvOfTheFilter() {
    ConsoleSeed s = ConsoleSeed.get();
    String page = html("/console/changes", "employeeId", s.stuck, "limit", "1");
    assertThat(page).contains("value=\"" + s.stuck + "\"");
    assertThat(page).contains("/console/employee?employeeId=" + s.stuck);
    // newest first: the failed prod change, then (next page) the applied dev one
    assertThat(page).contains("333333333333").doesNotContain("111111111111");
    String next = href(page, "next");
    assertThat(next).contains("cursor=");
    String second = html(next.replace("&amp;", "&").split("\\?")[0], query(next));
    assertThat(second).contains("111111111111").doesNotContain("333333333333");

    String csv = href(page, "csv").replace("&amp;", "&");
    assertThat(csv).startsWith("/v1/changes?").contains("format=csv").doesNotContain("limit");
    String body =
        api()
            .get(csv)
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .header("Content-Disposition", "attachment; filename=\"changes.csv\"")
            .extract()
            .asString();
    assertThat(body.lines().skip(1)).hasSize(2).allMatch(l -> l.contains(s.stuck));

    api()
        .queryParam("format", "xml")
        .get("/v1/changes")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", org.hamcrest.Matchers.equalTo("format"));
    api()
        .accept("text/csv")
        .queryParam("format", "json")
        .get("/v1/changes")
        .then()
        .statusCode(200)
        .contentType("application/json");

    assertEscaped(html("/console/changes", "employeeId", s.hostile));
    assertThat(html("/console/changes", "status", "failed", "account", "333333333333"))
        .contains(s.stuck);
  }

  @Test
  void changesPageSelectsAKindAndShowsThePrivilegedReason() {
    ConsoleSeed s = ConsoleSeed.get();
    String all = html("/console/changes", "employeeId", s.granted);
    assertThat(all).contains("<option value=\"\">all</option>").doesNotContain("\" selected>");
    // newest first: both grants marked with their reason (escaped), the plain change not
    assertThat(rows(all)).hasSize(3);
    assertThat(rows(all).get(0))
        .contains("account-admins")
        .contains(
            "<strong class=\"priv\">privileged grant</strong> administers the staging account");
    assertThat(rows(all).get(1))
        .contains("iam-user-managers")
        .contains("<strong class=\"priv\">privileged grant</strong>")
        .contains("&lt;script&gt;alert(&#39;grant&#39;)&lt;/script&gt; managers create users");
    assertThat(rows(all).get(2)).contains("developers").doesNotContain("privileged grant");
    assertThat(all).doesNotContain("<script>alert");

    // grants only, one per page: the kind stays selected, in the next-page link and the CSV link
    String grants =
        html("/console/changes", "employeeId", s.granted, "kind", "privileged_grant", "limit", "1");
    assertThat(grants).contains("<option value=\"privileged_grant\" selected>");
    assertThat(rows(grants)).singleElement().asString().contains("account-admins");
    String next = href(grants, "next").replace("&amp;", "&");
    assertThat(next).contains("kind=privileged_grant").contains("cursor=");
    String second = html(next.split("\\?")[0], query(next));
    assertThat(second).contains("<option value=\"privileged_grant\" selected>");
    assertThat(rows(second)).singleElement().asString().contains("iam-user-managers");
    String csv = href(grants, "csv").replace("&amp;", "&");
    assertThat(csv).contains("kind=privileged_grant").contains("format=csv");
    List<String> lines =
        api().get(csv).then().statusCode(200).extract().asString().lines().toList();
    assertThat(lines.subList(1, lines.size()))
        .hasSize(2)
        .anyMatch(l -> l.endsWith(",privileged_grant,administers the staging account"))
        .anyMatch(
            l ->
                l.endsWith(
                    ",privileged_grant,<script>alert('grant')</script> managers create users"));

    String plain = html("/console/changes", "employeeId", s.granted, "kind", "iam_change");
    assertThat(plain).contains("<option value=\"iam_change\" selected>");
    assertThat(rows(plain)).singleElement().asString().contains("developers");
    String plainCsv = href(plain, "csv").replace("&amp;", "&");
    assertThat(plainCsv).contains("kind=iam_change");
    List<String> plainLines =
        api().get(plainCsv).then().statusCode(200).extract().asString().lines().toList();
    assertThat(plainLines.subList(1, plainLines.size()))
        .singleElement()
        .asString()
        .contains("developers")
        .endsWith(",iam_change,");

    api()
        .queryParam("kind", "hr_event")
        .get("/console/changes")
        .then()
        .statusCode(400)
        .contentType("text/html")
        .body(org.hamcrest.Matchers.containsString("kind"));
  }

  /** The rows of the changes table. */
  private static List<String> rows(String page) {
    String body = page.substring(page.indexOf("<tbody>"), page.indexOf("</tbody>"));
    return Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL)
        .matcher(body)
        .results()
        .map(m -> m.group(1))
        .toList();
  }

  @Test
  void employeePageShowsTheTimelineAccessPerAccountAndPendingEvents() {
    ConsoleSeed s = ConsoleSeed.get();
    String stuck = html("/console/employee", "employeeId", s.stuck);
    assertThat(stuck).contains("PutUserPolicy").contains("AccessDenied: not allowed");
    String access = section(stuck, "access");
    assertThat(access).contains("333333333333").contains("failed").contains("111111111111");
    assertThat(access).contains("cut_off");

    String held = html("/console/employee", "employeeId", s.held);
    assertThat(section(held, "pending"))
        .contains(s.heldLeave.eventId())
        .contains(s.heldLeave.effectiveAt().toInstant().toString());

    String hostile = html("/console/employee", "employeeId", s.hostile);
    assertEscaped(hostile);
    assertThat(hostile)
        .contains("&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt;")
        .doesNotContain(ConsoleSeed.HOSTILE_REASON);

    api()
        .queryParam("employeeId", "nobody-" + s.clean)
        .get("/console/employee")
        .then()
        .statusCode(404)
        .contentType("text/html");
  }

  @Test
  void leaversPageShowsCutOffLagsTheHistogramAndOpenAccessFirst() {
    ConsoleSeed s = ConsoleSeed.get();
    String page =
        html(
            "/console/leavers",
            "from",
            ConsoleSeed.DAY.toString(),
            "to",
            ConsoleSeed.DAY.plusDays(1).toString());
    String table = section(page, "leavers");
    assertThat(table).contains("PT0.25S");
    assertThat(table.indexOf(s.stuck))
        .as("access possibly open on top")
        .isLessThan(table.indexOf(s.clean));
    assertThat(table.indexOf("E&lt;script")).isLessThan(table.indexOf(s.clean));
    assertEscaped(page);
    assertThat(page).contains("2 with access possibly open");

    String histogram = section(page, "histogram");
    // 0.25 s falls into the "≤ 0.25 s" bucket of the 1 s SLO; two leaves have no cut-off
    assertThat(histogram).containsPattern("≤ 0.25 s</td><td>1</td>");
    assertThat(histogram).contains("class=\"slo\"").contains("over the SLO of 1 s");
    assertThat(histogram).containsPattern("no cut-off</td><td>2</td>");

    api().queryParam("from", "yesterday").get("/console/leavers").then().statusCode(400);
    assertThat(api().queryParam("from", "<b>x").get("/console/leavers").asString())
        .contains("from: must be an ISO-8601 timestamp")
        .doesNotContain("<b>x");
  }

  @Test
  void integrityPageShowsTheChainAndVerifiesARange() {
    ConsoleSeed.get();
    String whole = html("/console/integrity");
    assertThat(whole).contains("Whole chain:").contains("intact");
    long head = Long.parseLong(text(whole, "head-seq"));
    assertThat(head).isPositive();

    String range = html("/console/integrity", "fromSeq", "1", "toSeq", "2");
    assertThat(range).contains("Range 1..2").contains("intact");
    assertThat(text(range, "head-seq")).isEqualTo("2");
    api()
        .queryParam("fromSeq", "3")
        .queryParam("toSeq", "2")
        .get("/console/integrity")
        .then()
        .statusCode(400);
  }

  @Test
  void scheduledPageListsHeldEvents() {
    ConsoleSeed s = ConsoleSeed.get();
    String page = html("/console/scheduled", "employeeId", s.held, "type", "leave");
    assertThat(section(page, "scheduled"))
        .contains(s.heldLeave.eventId())
        .contains("/console/employee?employeeId=" + s.held)
        .contains(s.heldLeave.effectiveAt().toInstant().toString());
    assertThat(html("/console/scheduled", "employeeId", s.held, "type", "hire"))
        .contains("Nothing held.");
  }

  @Test
  void reconciliationsPageListsRunsAndTheDetailCountsFiltersAndLinksTheCsv() {
    String id = Fixtures.id("console-rec");
    Fixtures.publish(
        new Reconciliation(
            id,
            Reconciliation.SOURCE_DRIFT,
            null,
            ReconciliationStatus.RUNNING,
            ConsoleSeed.DAY,
            null,
            null,
            List.of(DEV, PROD),
            null,
            null,
            null,
            null));
    Fixtures.publish(diff(id, DifferenceKind.EXTRA_GROUP, DEV, "admins"));
    Fixtures.publish(diff(id, DifferenceKind.LEAVER_WITH_ACCESS, PROD, "no deny-all"));
    Fixtures.publish(diff(id, DifferenceKind.LEAVER_WITH_ACCESS, DEV, ConsoleSeed.HOSTILE_REASON));
    Fixtures.publish(
        new Reconciliation(
            id,
            Reconciliation.SOURCE_DRIFT,
            null,
            ReconciliationStatus.COMPLETED,
            ConsoleSeed.DAY,
            ConsoleSeed.DAY.plusMinutes(1),
            null,
            List.of(DEV, PROD),
            // what the provisioner counted differs from what arrived: flagged
            Map.of("extra-group", 1, "leaver-with-access", 3),
            null,
            0,
            null));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                section(html("/console/reconciliations", "source", "drift"), "reconciliations")
                        .contains(id + "</a>")
                    && html("/console/reconciliation", "id", id).contains(">completed<")
                    && text(html("/console/reconciliation", "id", id), "difference-count")
                        .equals("3"));

    String list =
        section(html("/console/reconciliations", "status", "completed"), "reconciliations");
    assertThat(list).contains("/console/reconciliation?id=" + id).contains("drift");
    assertThat(section(html("/console/reconciliations", "status", "held"), "reconciliations"))
        .doesNotContain(id);

    String page = html("/console/reconciliation", "id", id);
    String counts = section(page, "counts");
    // one row per account, a column per kind, totals: dev has extra-group 1 and leaver 1
    assertThat(counts)
        .contains("<th>leaver-with-access</th>")
        .contains("<th>unowned-conflict</th>");
    assertThat(counts.replaceAll("\\s+", ""))
        .contains(DEV + "</a></td><td>0</td><td>0</td><td>1</td><td>1</td>")
        .contains(PROD + "</a></td><td>0</td><td>0</td><td>0</td><td>1</td>")
        .contains("<th>allaccounts</th><th>0</th><th>0</th><th>1</th><th>2</th>");
    // each account links to the differences filtered by it; the header links the page
    assertThat(counts)
        .contains("href=\"/console/reconciliation?id=" + id + "&amp;account=" + PROD + "\"");
    assertThat(page).contains("<a href=\"/console/reconciliations\">Reconciliations</a>");
    assertThat(page).contains("id=\"reported-differs\"");
    assertThat(section(page, "history")).contains("running").contains("completed");
    assertEscapedReason(section(page, "differences"));

    String prod = html("/console/reconciliation", "id", id, "account", PROD);
    assertThat(section(prod, "differences")).contains("no deny-all").doesNotContain("admins");
    String leavers =
        html("/console/reconciliation", "id", id, "kind", "leaver-with-access", "limit", "1");
    assertThat(section(leavers, "differences")).doesNotContain("admins");
    String next = href(leavers, "next");
    String second = html(next.replace("&amp;", "&").split("\\?")[0], query(next));
    assertThat(section(second, "differences")).contains("no deny-all");

    String csv = href(leavers, "csv").replace("&amp;", "&");
    assertThat(csv)
        .startsWith("/v1/reconciliations/" + id + "/differences?")
        .contains("format=csv")
        .contains("kind=leaver-with-access")
        .doesNotContain("limit");
    String body =
        api()
            .urlEncodingEnabled(false)
            .get(csv)
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    assertThat(body.lines().skip(1)).hasSize(2).allMatch(l -> l.contains("leaver-with-access"));

    api()
        .queryParam("id", id)
        .queryParam("kind", "vanished")
        .get("/console/reconciliation")
        .then()
        .statusCode(400)
        .contentType("text/html");
    api()
        .queryParam("id", "nope-" + id)
        .get("/console/reconciliation")
        .then()
        .statusCode(404)
        .contentType("text/html");
  }

  @Test
  void findingsPageFiltersPagesShowsOpenAndResolvedAndLinksTheCsv() {
    ConsoleSeed s = ConsoleSeed.get();
    String account =
        Long.toString(
            java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(100_000_000_000L, 999_999_999_999L));
    String a = Fixtures.id("console-review-a");
    String b = Fixtures.id("console-review-b");
    String kept = Fixtures.id("console-f-kept");
    String gone = Fixtures.id("console-f-gone");
    Fixtures.publish(review(a, ReconciliationStatus.RUNNING, ConsoleSeed.DAY, account));
    Fixtures.publish(
        finding(
            a, kept, FindingKind.OLD_ACCESS_KEY, account, s.hostile, ConsoleSeed.HOSTILE_REASON));
    Fixtures.publish(
        finding(a, gone, FindingKind.DIRECT_POLICY, account, s.clean, "AdministratorAccess"));
    Fixtures.publish(review(a, ReconciliationStatus.COMPLETED, ConsoleSeed.DAY, account));
    Fixtures.publish(
        review(b, ReconciliationStatus.RUNNING, ConsoleSeed.DAY.plusHours(1), account));
    Fixtures.publish(
        finding(
            b,
            kept,
            FindingKind.OLD_ACCESS_KEY,
            account,
            s.hostile,
            ConsoleSeed.HOSTILE_REASON,
            ConsoleSeed.DAY.plusHours(1).plusSeconds(1)));
    Fixtures.publish(
        review(b, ReconciliationStatus.COMPLETED, ConsoleSeed.DAY.plusHours(1), account));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                section(
                        html("/console/findings", "account", account, "status", "resolved"),
                        "findings")
                    .contains(gone));

    String open =
        section(html("/console/findings", "account", account, "status", "open"), "findings");
    assertThat(open).contains(kept).contains(b).doesNotContain(gone).contains("class=\"open\"");
    assertEscaped(open);
    assertEscapedReason(open);
    assertThat(open).contains("/console/employee?employeeId=");
    String resolved =
        section(html("/console/findings", "account", account, "kind", "direct-policy"), "findings");
    assertThat(resolved)
        .contains(gone)
        .contains("resolved")
        .contains(ConsoleSeed.DAY.plusHours(1).plusSeconds(10).toInstant().toString());

    String page = html("/console/findings", "account", account, "limit", "1");
    assertThat(page).contains("<a href=\"/console/findings\">Findings</a>");
    assertThat(section(page, "findings")).contains(gone).doesNotContain(kept);
    String next = href(page, "next");
    String second = html(next.replace("&amp;", "&").split("\\?")[0], query(next));
    assertThat(section(second, "findings")).contains(kept).doesNotContain(gone);

    String csv = href(page, "csv").replace("&amp;", "&");
    assertThat(csv)
        .startsWith("/v1/findings?")
        .contains("format=csv")
        .contains("account=" + account)
        .doesNotContain("limit");
    String body =
        api()
            .urlEncodingEnabled(false)
            .get(csv)
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .header("Content-Disposition", "attachment; filename=\"findings.csv\"")
            .extract()
            .asString();
    assertThat(body.lines().skip(1)).hasSize(2).allMatch(l -> l.contains(account));

    api()
        .queryParam("status", "closed")
        .get("/console/findings")
        .then()
        .statusCode(400)
        .contentType("text/html");
  }

  private static Review review(
      String id, ReconciliationStatus status, java.time.OffsetDateTime startedAt, String account) {
    return new Review(
        id,
        status,
        startedAt,
        status == ReconciliationStatus.COMPLETED ? startedAt.plusSeconds(10) : null,
        List.of(account),
        null,
        null);
  }

  private static Review.Finding finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String account,
      String employeeId,
      String detail) {
    return finding(
        reviewId, findingId, kind, account, employeeId, detail, ConsoleSeed.DAY.plusSeconds(1));
  }

  private static Review.Finding finding(
      String reviewId,
      String findingId,
      FindingKind kind,
      String account,
      String employeeId,
      String detail,
      java.time.OffsetDateTime observedAt) {
    return new Review.Finding(
        reviewId,
        findingId,
        kind,
        account,
        employeeId,
        "u",
        "AKIA-" + findingId,
        detail,
        observedAt);
  }

  private static final String DEV = "111111111111";
  private static final String PROD = "333333333333";

  private static Reconciliation.Difference diff(
      String id, DifferenceKind kind, String account, String detail) {
    return new Reconciliation.Difference(id, kind, account, "E-" + id, "u", detail, null, null);
  }

  private static void assertEscapedReason(String html) {
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt;")
        .doesNotContain(ConsoleSeed.HOSTILE_REASON);
  }

  private static String href(String page, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\" href=\"([^\"]*)\"").matcher(page);
    assertThat(m.find()).as("link #" + id).isTrue();
    return m.group(1);
  }

  private static Object[] query(String href) {
    String q = href.replace("&amp;", "&").split("\\?", 2)[1];
    return java.util.Arrays.stream(q.split("&"))
        .flatMap(
            kv -> {
              String[] p = kv.split("=", 2);
              return java.util.stream.Stream.of(
                  java.net.URLDecoder.decode(p[0], java.nio.charset.StandardCharsets.UTF_8),
                  java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8));
            })
        .toArray();
  }

  /** The table with that id. */
  private static String section(String page, String id) {
    int start = page.indexOf("<table id=\"" + id + "\"");
    assertThat(start).as("table #" + id).isNotNegative();
    return page.substring(start, page.indexOf("</table>", start));
  }

  private static String text(String page, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(page);
    assertThat(m.find()).as("#" + id).isTrue();
    return m.group(1).trim();
  }
}
