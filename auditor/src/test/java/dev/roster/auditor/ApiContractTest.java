package dev.roster.auditor;

import static dev.roster.auditor.Fixtures.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may ask, what a bad question gets, and what operators can see. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class ApiContractTest {

  @ParameterizedTest
  @CsvSource({
    "/v1/changes",
    "/v1/hr-events",
    "/v1/hr-events/x",
    "/v1/employees/x/timeline",
    "/v1/reports/leavers",
    "/v1/scheduled",
    "/v1/reconciliations",
    "/v1/reconciliations/x/differences",
    "/v1/findings",
    "/v1/reviews",
    "/v1/integrity"
  })
  void everyApiPathNeedsCredentialsAndTheAuditorRole(String path) {
    given().get(path).then().statusCode(401);
    given().auth().preemptive().basic("auditor", "wrong").get(path).then().statusCode(401);
    given().auth().preemptive().basic("visitor", "visitor").get(path).then().statusCode(403);
  }

  @Test
  void theAuditorGetsIn() {
    api().get("/v1/integrity").then().statusCode(200).body("ok", is(true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/changes?limit=0|limit",
        "/v1/changes?limit=1001|limit",
        "/v1/changes?limit=ten|limit",
        "/v1/changes?from=yesterday|from",
        "/v1/changes?to=2026-13-01T00:00:00Z|to",
        "/v1/changes?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z|to",
        "/v1/changes?status=done|status",
        "/v1/changes?cursor=not-a-cursor|cursor",
        "/v1/hr-events?type=fired|type",
        "/v1/hr-events?limit=-1|limit",
        "/v1/hr-events?from=2026-01-01|from",
        "/v1/reports/leavers?to=noon|to",
        "/v1/scheduled?type=fired|type",
        "/v1/scheduled?from=2026-12-04|from",
        "/v1/scheduled?limit=0|limit",
        "/v1/scheduled?cursor=x|cursor",
        "/v1/reconciliations?status=done|status",
        "/v1/reconciliations?source=manual|source",
        "/v1/reconciliations?cursor=x|cursor",
        "/v1/reconciliations/x/differences?kind=vanished|kind",
        "/v1/reconciliations/x/differences?account=12|account",
        "/v1/reconciliations/x?limit=1001|limit",
        "/v1/findings?kind=vanished|kind",
        "/v1/findings?account=12|account",
        "/v1/findings?employeeId=E1&status=closed|status",
        "/v1/findings?from=2026-01-01|from",
        "/v1/findings?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z|to",
        "/v1/findings?cursor=x|cursor",
        "/v1/reviews?status=held|status",
        "/v1/reviews?limit=0|limit",
        "/v1/integrity?fromSeq=0|fromSeq",
        "/v1/integrity?toSeq=x|toSeq",
        "/v1/integrity?fromSeq=5&toSeq=2|toSeq"
      })
  void aMalformedParameterIsA400ProblemNamingIt(String url, String parameter) {
    api()
        .urlEncodingEnabled(false)
        .get(url)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("errors[0].pointer", equalTo(parameter))
        .body("errors[0].reason", not(emptyOrNullString()))
        .body("instance", equalTo(url.substring(0, url.indexOf('?'))))
        .body("detail", containsString(parameter));
  }

  @Test
  void csvIsAlsoRefusedWithAProblem() {
    api()
        .accept("text/csv")
        .get("/v1/changes?limit=5000")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("limit"));
  }

  @Test
  void healthCoversDatabaseAndKafkaWithoutCredentials() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(containsString("Database connections health check"))
        .body(containsString("Kafka connection health check"));
  }

  @Test
  void metricsAndOpenApiAreServed() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("roster_auditor_entries_stored_total"))
        .body(containsString("roster_auditor_duplicates_skipped_total"));
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/v1/changes"))
        .body(containsString("/v1/integrity"))
        .body(containsString("/v1/scheduled"))
        .body(containsString("/v1/reconciliations/{id}/differences"))
        .body(containsString("/v1/findings"))
        .body(containsString("/v1/reviews"));
  }
}
