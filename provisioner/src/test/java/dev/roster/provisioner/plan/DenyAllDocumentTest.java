package dev.roster.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which policy documents count as Roster's deny-all (an edited one counts as absent). */
class DenyAllDocumentTest {
  @Test
  void rostersDocumentIsRecognisedAsIamReturnsItEncodedOrPlainWhateverItsLayout() {
    String reordered =
        "{ \"Statement\": [ { \"Resource\": \"*\", \"Action\": \"*\", \"Effect\": \"Deny\","
            + " \"Sid\": \"RosterDeactivated\" } ], \"Version\": \"2012-10-17\" }";

    assertThat(Tags.isDenyAllDocument(Tags.DENY_ALL_DOCUMENT)).isTrue();
    assertThat(
            Tags.isDenyAllDocument(
                URLEncoder.encode(Tags.DENY_ALL_DOCUMENT, StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(Tags.isDenyAllDocument(reordered)).isTrue();
  }

  @Test
  void anEditedUnreadableOrMissingDocumentIsNot() {
    String exempting =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RosterDeactivated\","
            + "\"Effect\":\"Deny\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

    assertThat(Tags.isDenyAllDocument(exempting)).isFalse();
    assertThat(
            Tags.isDenyAllDocument(
                Tags.DENY_ALL_DOCUMENT.replace("\"Resource\":\"*\"", "\"Resource\":\"arn:x\"")))
        .isFalse();
    assertThat(Tags.isDenyAllDocument("%7Bnot json")).isFalse();
    assertThat(Tags.isDenyAllDocument(null)).isFalse();
  }
}
