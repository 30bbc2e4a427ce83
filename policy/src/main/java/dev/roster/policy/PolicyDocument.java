package dev.roster.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed identity policy document. {@code source} says where it came from (e.g. {@code group
 * developers inline s3-read}) so that a decision can name the statement behind it.
 */
public record PolicyDocument(String source, String version, List<Statement> statements) {
  public static final String VERSION_2012 = "2012-10-17";
  public static final String VERSION_2008 = "2008-10-17";

  private static final ObjectMapper JSON = new ObjectMapper();

  public PolicyDocument {
    statements = List.copyOf(statements);
  }

  /** Policy variables ({@code ${aws:username}}) exist only in version 2012-10-17. */
  public boolean variables() {
    return VERSION_2012.equals(version);
  }

  /**
   * Parses a document as IAM stores it. IAM's Get* APIs return documents URL-encoded (RFC 3986);
   * text that does not start with <code>{</code> is decoded first.
   */
  public static PolicyDocument parse(String source, String json) {
    if (json == null) {
      throw new PolicyParseException(source, "document", "missing");
    }
    String text = json.strip();
    if (!text.startsWith("{")) {
      text = URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new PolicyParseException(source, "document", "not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new PolicyParseException(source, "document", "not a JSON object");
    }
    JsonNode versionNode = root.get("Version");
    String version = versionNode == null ? VERSION_2008 : versionNode.asText();
    if (!version.equals(VERSION_2012) && !version.equals(VERSION_2008)) {
      throw new PolicyParseException(
          source, "Version", "must be 2012-10-17 or 2008-10-17, was " + version);
    }
    JsonNode statementNode = root.get("Statement");
    if (statementNode == null) {
      throw new PolicyParseException(source, "Statement", "missing");
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (statementNode.isArray()) {
      statementNode.forEach(nodes::add);
    } else if (statementNode.isObject()) {
      nodes.add(statementNode);
    } else {
      throw new PolicyParseException(source, "Statement", "must be an object or an array");
    }
    List<Statement> statements = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      statements.add(statement(source, "Statement[" + i + "]", nodes.get(i)));
    }
    return new PolicyDocument(source, version, statements);
  }

  private static Statement statement(String source, String at, JsonNode s) {
    if (!s.isObject()) {
      throw new PolicyParseException(source, at, "must be an object");
    }
    if (s.has("Principal") || s.has("NotPrincipal")) {
      throw new PolicyParseException(
          source, at + ".Principal", "not allowed in an identity policy");
    }
    String effectText = s.path("Effect").asText("");
    Effect effect =
        switch (effectText) {
          case "Allow" -> Effect.ALLOW;
          case "Deny" -> Effect.DENY;
          default ->
              throw new PolicyParseException(
                  source, at + ".Effect", "must be Allow or Deny, was '" + effectText + "'");
        };
    boolean notAction = exactlyOne(source, at, s, "Action", "NotAction");
    boolean notResource = exactlyOne(source, at, s, "Resource", "NotResource");
    String actionKey = notAction ? "NotAction" : "Action";
    String resourceKey = notResource ? "NotResource" : "Resource";
    List<String> actions = strings(source, at + "." + actionKey, s.get(actionKey));
    for (String action : actions) {
      if (!action.equals("*") && action.indexOf(':') <= 0) {
        throw new PolicyParseException(
            source, at + "." + actionKey, "'" + action + "' is not service:action");
      }
    }
    List<String> resources = strings(source, at + "." + resourceKey, s.get(resourceKey));
    Map<String, Map<String, List<String>>> condition = new LinkedHashMap<>();
    JsonNode c = s.get("Condition");
    if (c != null) {
      if (!c.isObject()) {
        throw new PolicyParseException(source, at + ".Condition", "must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> ops = c.fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String opAt = at + ".Condition." + op.getKey();
        if (!op.getValue().isObject()) {
          throw new PolicyParseException(source, opAt, "must be an object of condition keys");
        }
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> ks = op.getValue().fields(); ks.hasNext(); ) {
          Map.Entry<String, JsonNode> k = ks.next();
          keys.put(k.getKey(), strings(source, opAt + "." + k.getKey(), k.getValue()));
        }
        condition.put(op.getKey(), keys);
      }
    }
    JsonNode sid = s.get("Sid");
    return new Statement(
        sid == null ? null : sid.asText(),
        effect,
        actions,
        notAction,
        resources,
        notResource,
        condition);
  }

  /** Whether the negated key is the one present; exactly one of the pair must be. */
  private static boolean exactlyOne(
      String source, String at, JsonNode s, String key, String notKey) {
    if (s.has(key) == s.has(notKey)) {
      throw new PolicyParseException(
          source, at + "." + key, "exactly one of " + key + " and " + notKey + " is required");
    }
    return s.has(notKey);
  }

  /** A string, number, boolean or a non-empty list of them. */
  private static List<String> strings(String source, String at, JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode n : node) {
        if (!n.isValueNode() || n.isNull()) {
          throw new PolicyParseException(source, at, "list members must be strings");
        }
        out.add(n.asText());
      }
    } else if (node.isValueNode() && !node.isNull()) {
      out.add(node.asText());
    } else {
      throw new PolicyParseException(source, at, "must be a string or a list of strings");
    }
    if (out.isEmpty()) {
      throw new PolicyParseException(source, at, "must not be empty");
    }
    return out;
  }
}
