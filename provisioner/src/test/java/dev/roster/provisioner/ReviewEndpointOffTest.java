package dev.roster.provisioner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.roster.sandbox.kafka.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Without {@code roster.review.token} the on-demand endpoint is off: 403, whatever is sent (the
 * same application as ProvisionerFlowTest, which configures no token).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(SeededIamSandbox.class)
class ReviewEndpointOffTest {
  @Test
  void withoutAConfiguredTokenNoReviewStartsOnDemand() {
    given()
        .header("Authorization", "Bearer anything")
        .when()
        .post("/v1/reviews")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("detail", containsString("ROSTER_REVIEW_TOKEN"));
    given().when().post("/v1/reviews").then().statusCode(403);
  }
}
