package dev.roster.auditor;

import static io.restassured.RestAssured.given;

import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The {@code oidc} profile as production runs it (the application's own {@code %oidc} lines),
 * against a local issuer ({@link OidcIssuer}): a token for another audience is refused.
 */
@QuarkusTest
@TestProfile(OidcIssuer.Profile.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(AuditorDatabase.class)
class OidcAudienceTest {
  @Test
  void aTokenForTheAuditorsAudienceGetsIn() {
    given()
        .auth()
        .oauth2(OidcIssuer.accessToken("roster-auditor"))
        .get("/v1/changes?limit=1")
        .then()
        .statusCode(200);
  }

  @Test
  void aTokenForAnotherAudienceOrWithoutOneIsRefused() {
    given()
        .auth()
        .oauth2(OidcIssuer.accessToken("billing-service"))
        .get("/v1/changes?limit=1")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(OidcIssuer.accessToken(null))
        .get("/v1/changes?limit=1")
        .then()
        .statusCode(401);
  }

  @Test
  void basicIsNotAcceptedInThisMode() {
    Fixtures.api().get("/v1/changes?limit=1").then().statusCode(401);
  }
}
