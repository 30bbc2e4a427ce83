package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.IamException;

class UnimplementedActionTest extends SandboxTestBase {

  @Test
  void anUnimplementedActionIsAnIamStyleError() {
    assertThatThrownBy(() -> iam.listRoles())
        .isInstanceOfSatisfying(
            IamException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Could not find operation ListRoles for version 2010-05-08");
            });
  }

  @Test
  void aRequestWithoutActionGetsXmlNotHtml() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(endpoint())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("Version=2010-05-08"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
    assertThat(response.body())
        .startsWith("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">")
        .contains("<Code>MissingAction</Code>")
        .contains("<RequestId>");
  }
}
