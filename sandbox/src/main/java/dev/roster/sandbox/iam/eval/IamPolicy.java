package dev.roster.sandbox.iam.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy document as the sandbox evaluates it, with where each statement sits in the text
 * (SimulatePrincipalPolicy reports positions). {@code id} and {@code type} are IAM's {@code
 * SourcePolicyId} and {@code SourcePolicyType} ({@code user}, {@code group}, {@code role}, {@code
 * aws-managed}, {@code user-managed}, {@code none}).
 */
public record IamPolicy(String id, String type, boolean variables, List<Stmt> statements) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public IamPolicy {
    statements = List.copyOf(statements);
  }

  /** A line and column, both from 1. */
  public record Position(int line, int column) {}

  /** One statement. {@code condition} is the Condition object, or null. */
  public record Stmt(
      boolean allow,
      List<String> actions,
      boolean notAction,
      List<String> resources,
      boolean notResource,
      JsonNode condition,
      Position start,
      Position end) {}

  /** Parses a document; an IllegalArgumentException says what IAM would refuse. */
  public static IamPolicy parse(String id, String type, String document) {
    JsonNode root;
    List<Position[]> positions;
    try {
      root = JSON.readTree(document);
      positions = positions(document);
    } catch (IOException e) {
      throw new IllegalArgumentException("Syntax errors in policy.");
    }
    if (root == null || !root.isObject() || !root.has("Statement")) {
      throw new IllegalArgumentException("Missing required field Statement");
    }
    boolean variables = "2012-10-17".equals(root.path("Version").asText(null));
    JsonNode s = root.get("Statement");
    List<JsonNode> nodes = new ArrayList<>();
    if (s.isArray()) {
      s.forEach(nodes::add);
    } else {
      nodes.add(s);
    }
    List<Stmt> statements = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode n = nodes.get(i);
      String effect = n.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw new IllegalArgumentException("Invalid effect: " + effect);
      }
      boolean notAction = n.has("NotAction");
      boolean notResource = n.has("NotResource");
      List<String> actions = strings(n.get(notAction ? "NotAction" : "Action"));
      List<String> resources = strings(n.get(notResource ? "NotResource" : "Resource"));
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("Policy statement must contain actions.");
      }
      if (resources.isEmpty()) {
        throw new IllegalArgumentException("Policy statement must contain resources.");
      }
      Position[] at =
          i < positions.size()
              ? positions.get(i)
              : new Position[] {new Position(1, 1), new Position(1, 1)};
      statements.add(
          new Stmt(
              effect.equals("Allow"),
              actions,
              notAction,
              resources,
              notResource,
              n.get("Condition"),
              at[0],
              at[1]));
    }
    return new IamPolicy(id, type, variables, statements);
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(v -> out.add(v.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }

  /** Start and end of each top-level statement object, found with a streaming pass. */
  private static List<Position[]> positions(String document) throws IOException {
    List<Position[]> out = new ArrayList<>();
    try (JsonParser p = JSON.getFactory().createParser(document)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("Statement")) {
          p.skipChildren();
          continue;
        }
        if (value == JsonToken.START_OBJECT) {
          out.add(object(p));
        } else if (value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(object(p));
          }
        }
      }
    }
    return out;
  }

  private static Position[] object(JsonParser p) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    p.skipChildren();
    JsonLocation end = p.currentLocation();
    return new Position[] {
      new Position(start.getLineNr(), start.getColumnNr()),
      new Position(end.getLineNr(), end.getColumnNr())
    };
  }
}
