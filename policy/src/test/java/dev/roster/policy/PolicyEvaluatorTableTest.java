package dev.roster.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table: {@code decisions.json}, one row per question to a set of documents. */
class PolicyEvaluatorTableTest {
  static Stream<Arguments> decisions() {
    return rows("decisions.json")
        .map(
            row -> {
              Request request =
                  row.hasNonNull("resource")
                      ? Request.of(row.get("action").asText(), row.get("resource").asText())
                      : Request.of(row.get("action").asText());
              JsonNode context = row.get("context");
              if (context != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = context.fields(); it.hasNext(); ) {
                  Map.Entry<String, JsonNode> e = it.next();
                  request =
                      request.with(
                          e.getKey(), Documents.strings(e.getValue()).toArray(String[]::new));
                }
              }
              return Arguments.of(
                  Documents.strings(row.get("policies")) + " " + describe(request),
                  row.get("policies"),
                  request,
                  Decision.valueOf(row.get("expect").asText()));
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decides(String name, JsonNode policies, Request request, Decision expected) {
    assertThat(Documents.set(policies).decide(request)).isEqualTo(expected);
  }

  @Test
  void theTableCoversAtLeastFortyDocumentsAndEveryOneOfThem() {
    Set<String> used = new HashSet<>();
    Stream.of("decisions.json", "escalations.json", "deny-all.json")
        .flatMap(PolicyEvaluatorTableTest::rows)
        .forEach(row -> used.addAll(Documents.strings(row.get("policies"))));
    assertThat(Documents.ALL).hasSizeGreaterThanOrEqualTo(40);
    assertThat(used).containsExactlyInAnyOrderElementsOf(Documents.ALL.keySet());
  }

  @Test
  void everyTestDocumentParsesWithAllItsStatements() {
    Documents.ALL.forEach(
        (name, text) ->
            assertThat(Documents.document(name).statements())
                .as(name)
                .hasSize(statementCount(text)));
  }

  private static int statementCount(String text) {
    try {
      JsonNode s = Documents.JSON.readTree(text).get("Statement");
      return s.isArray() ? s.size() : 1;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<JsonNode> rows(String resource) {
    return StreamSupport.stream(Documents.table(resource).spliterator(), false);
  }

  private static String describe(Request r) {
    return r.action()
        + (r.resource() == null ? "" : " on " + r.resource())
        + (r.context().isEmpty() ? "" : " " + r.context());
  }
}
