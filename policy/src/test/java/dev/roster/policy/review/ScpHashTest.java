package dev.roster.policy.review;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScpHashTest {
  static final String SCP =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\"}]}";

  @Test
  void theHashIsSha256OfTheJsonWithSortedKeysAndNoWhitespace() {
    // printf '%s' '{"Statement":[{"Action":"*","Effect":"Deny"}],"Version":"2012-10-17"}' |
    // sha256sum
    assertThat(ScpHash.of(SCP))
        .isEqualTo("859fae6a07219001f0b1ba115ef1d13618ef56d72409835b2e807f1961da034f");
  }

  @Test
  void whitespaceAndKeyOrderAtAnyDepthAreNotAChange() {
    String reformatted =
        "\n{ \"Statement\" : [ { \"Action\" : \"*\" ,\n\t\"Effect\" : \"Deny\" } ] ,"
            + " \"Version\" : \"2012-10-17\" }\n";
    assertThat(ScpHash.of(reformatted)).isEqualTo(ScpHash.of(SCP));
  }

  @Test
  void valuesAndArrayOrderAre() {
    assertThat(ScpHash.of(SCP.replace("Deny", "Allow"))).isNotEqualTo(ScpHash.of(SCP));
    String two = "{\"Action\":[\"s3:GetObject\",\"s3:PutObject\"]}";
    String swapped = "{\"Action\":[\"s3:PutObject\",\"s3:GetObject\"]}";
    assertThat(ScpHash.of(two)).isNotEqualTo(ScpHash.of(swapped));
  }

  @Test
  void contentThatIsNotJsonIsHashedAsItIs() {
    assertThat(ScpHash.normal("{not json")).isEqualTo("{not json");
    assertThat(ScpHash.normal(SCP + " trailing")).isEqualTo(SCP + " trailing");
    assertThat(ScpHash.of("{not json")).isNotEqualTo(ScpHash.of("{not  json"));
  }
}
