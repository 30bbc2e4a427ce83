package dev.roster.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The role mapping as the tests read it: the expected IAM state is computed from it. */
record Mapping(
    Map<String, String> accountIds,
    Map<String, Set<String>> birthright,
    Map<String, Map<String, Set<String>>> roles,
    Map<String, Set<String>> ignored) {

  static Mapping read(Path file) {
    try {
      JsonNode root = new YAMLMapper().readTree(file.toFile());
      Map<String, String> ids = new LinkedHashMap<>();
      root.path("accounts")
          .fields()
          .forEachRemaining(e -> ids.put(e.getKey(), e.getValue().path("id").asText()));
      Map<String, Map<String, Set<String>>> roles = new LinkedHashMap<>();
      root.path("roles")
          .fields()
          .forEachRemaining(e -> roles.put(e.getKey(), groups(e.getValue())));
      return new Mapping(
          ids, groups(root.path("birthright")), roles, groups(root.path("ignoredGroups")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Set<String>> groups(JsonNode byAccount) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    byAccount
        .fields()
        .forEachRemaining(
            e -> {
              Set<String> g = new TreeSet<>();
              e.getValue().forEach(n -> g.add(n.asText()));
              out.put(e.getKey(), g);
            });
    return out;
  }

  /** The id of the first account with birthright groups: where every employee has a user. */
  String birthrightAccountId() {
    return accountIds.get(birthright.keySet().iterator().next());
  }

  List<String> roleNames() {
    return new ArrayList<>(roles.keySet());
  }

  /** Birthright ∪ the groups of each role, in one account (by account name). */
  Set<String> desired(String account, List<String> employeeRoles) {
    Set<String> out = new TreeSet<>(birthright.getOrDefault(account, Set.of()));
    for (String r : employeeRoles) {
      out.addAll(roles.getOrDefault(r, Map.of()).getOrDefault(account, Set.of()));
    }
    return out;
  }
}
