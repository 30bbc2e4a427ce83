package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Tag;

/** How an enforced caller's requests are authorised: resources, keys and IAM's wording. */
class EnforcementConformanceTest extends SandboxTestBase {
  static final String HELD = "444444444444";
  static final String WHO = "User: arn:aws:iam::444444444444:root is not authorized to perform: ";

  static String policy(String statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  }

  static void refused(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            IamException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
  }

  @Test
  void createUserWithTagsIsAlsoAuthorisedAsTagUser() {
    sandbox
        .enforcement()
        .forAccessKey(
            HELD,
            HELD,
            List.of(
                policy("{\"Effect\":\"Allow\",\"Action\":\"iam:CreateUser\",\"Resource\":\"*\"}")),
            List.of());
    IamClient held = iam(HELD);
    held.createUser(r -> r.userName("plain"));
    refused(
        () ->
            held.createUser(
                r -> r.userName("tagged").tags(Tag.builder().key("team").value("a").build())),
        WHO
            + "iam:TagUser on resource: arn:aws:iam::444444444444:user/tagged because no"
            + " identity-based policy allows the iam:TagUser action");
    assertThat(sandbox.state(HELD).path("users").has("tagged")).isFalse();
  }

  @Test
  void groupsAreNamedWithTheirPathAndListsMatchOnlyResourceStar() throws Exception {
    sandbox.seed(
        new ObjectMapper()
            .readTree(
                "{\"accounts\": {\"444444444444\": {\"groups\": [{\"name\": \"ops\", \"path\":"
                    + " \"/teams/\"}], \"users\": [\"bob\"]}}}"));
    sandbox
        .enforcement()
        .forAccessKey(
            HELD,
            HELD,
            List.of(
                policy(
                    "{\"Effect\":\"Allow\",\"Action\":[\"iam:AddUserToGroup\",\"iam:ListUsers\"],"
                        + "\"Resource\":\"arn:aws:iam::444444444444:group/teams/*\"}")),
            List.of());
    IamClient held = iam(HELD);
    held.addUserToGroup(r -> r.userName("bob").groupName("ops"));
    refused(
        () -> held.listUsers(),
        WHO
            + "iam:ListUsers on resource: * because no identity-based policy allows the"
            + " iam:ListUsers action");
    // GetCallerIdentity needs no permission.
    assertThat(sts(HELD).getCallerIdentity().account()).isEqualTo(HELD);
  }

  @Test
  void aBoundaryThatDoesNotAllowIsNamedInTheRefusal() {
    sandbox
        .enforcement()
        .forAccessKey(
            HELD,
            HELD,
            List.of(policy("{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}")),
            List.of(policy("{\"Effect\":\"Allow\",\"Action\":\"iam:List*\",\"Resource\":\"*\"}")));
    IamClient held = iam(HELD);
    held.listGroups();
    refused(
        () -> held.createGroup(r -> r.groupName("g")),
        WHO
            + "iam:CreateGroup on resource: arn:aws:iam::444444444444:group/g because no"
            + " permissions boundary allows the iam:CreateGroup action");
    // A caller without a rule is not held to anything.
    iam("555555555555").createGroup(r -> r.groupName("g"));
  }
}
