package dev.roster.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test documents: AWS managed policies (copies of their public JSON, some abbreviated as their
 * files say) in {@code aws-managed/}, and hand-written ones in {@code documents.json}, by name.
 */
final class Documents {
  static final ObjectMapper JSON = new ObjectMapper();

  static final List<String> AWS_MANAGED =
      List.of(
          "AdministratorAccess",
          "PowerUserAccess",
          "IAMFullAccess",
          "ReadOnlyAccess",
          "IAMUserChangePassword",
          "IAMReadOnlyAccess",
          "AmazonS3ReadOnlyAccess",
          "AWSLambda_FullAccess",
          "AmazonEC2FullAccess",
          "ViewOnlyAccess");

  static final Map<String, String> ALL = load();

  private Documents() {}

  static PolicyDocument document(String name) {
    String text = ALL.get(name);
    if (text == null) {
      throw new IllegalArgumentException("no test document " + name);
    }
    return PolicyDocument.parse(name, text);
  }

  static PolicySet set(JsonNode names) {
    PolicySet.Builder b = PolicySet.builder();
    names.forEach(n -> b.add(document(n.asText())));
    return b.build();
  }

  static JsonNode table(String resource) {
    try (InputStream in = Documents.class.getResourceAsStream(resource)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null) {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static Map<String, String> load() {
    Map<String, String> all = new LinkedHashMap<>();
    for (String name : AWS_MANAGED) {
      try (InputStream in = Documents.class.getResourceAsStream("aws-managed/" + name + ".json")) {
        all.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    JsonNode custom = table("documents.json");
    for (Iterator<Map.Entry<String, JsonNode>> it = custom.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      all.put(e.getKey(), e.getValue().toString());
    }
    return all;
  }
}
