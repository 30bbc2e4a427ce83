package dev.roster.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the launcher needs from the role mapping: the accounts and every group they mention, to seed
 * the IAM sandbox as the platform team's Terraform would. The provisioner validates the mapping
 * fully; this reads just enough to fail early with one sentence on a broken file.
 */
public record RoleMappingFile(Path path, Map<String, Account> accounts) {

  /** An account of the mapping: its id, whether Roster reaches it by AssumeRole, its groups. */
  public record Account(String name, String id, boolean assumeRole, Set<String> groups) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static RoleMappingFile read(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new LauncherException("The roles file " + path + " does not exist.");
    }
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(path.toFile());
    } catch (IOException e) {
      throw new LauncherException(
          "The roles file " + path + " is not valid YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.path("accounts").isObject() || root.path("accounts").isEmpty()) {
      throw new LauncherException("The roles file " + path + " declares no accounts.");
    }
    Map<String, Account> accounts = new LinkedHashMap<>();
    root.path("accounts")
        .fields()
        .forEachRemaining(
            e -> {
              String id = e.getValue().path("id").asText("");
              if (!id.matches("\\d{12}")) {
                throw new LauncherException(
                    "The roles file "
                        + path
                        + " gives account "
                        + e.getKey()
                        + " the id '"
                        + id
                        + "', which is not 12 digits.");
              }
              boolean assume = !e.getValue().path("assumeRole").asText("").isBlank();
              accounts.put(e.getKey(), new Account(e.getKey(), id, assume, new TreeSet<>()));
            });
    addGroups(path, root.path("birthright"), accounts);
    root.path("roles").forEach(role -> addGroups(path, role, accounts));
    addGroups(path, root.path("ignoredGroups"), accounts);
    return new RoleMappingFile(path, accounts);
  }

  private static void addGroups(Path path, JsonNode byAccount, Map<String, Account> accounts) {
    byAccount
        .fields()
        .forEachRemaining(
            e -> {
              Account account = accounts.get(e.getKey());
              if (account == null) {
                throw new LauncherException(
                    "The roles file " + path + " uses the undeclared account " + e.getKey() + ".");
              }
              e.getValue().forEach(g -> account.groups().add(g.asText()));
            });
  }

  /** The account Roster's own credentials live in: the first one reached without AssumeRole. */
  public String homeAccountId() {
    return accounts.values().stream()
        .filter(a -> !a.assumeRole())
        .findFirst()
        .orElse(accounts.values().iterator().next())
        .id();
  }

  /**
   * The IAM sandbox seed: every account with its groups, and a {@code roster-provisioner} role in
   * each account the provisioner reaches by AssumeRole.
   */
  public String sandboxSeed() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode byId = root.putObject("accounts");
    for (Account a : accounts.values()) {
      ObjectNode acct = byId.has(a.id()) ? (ObjectNode) byId.get(a.id()) : byId.putObject(a.id());
      ArrayNode groups =
          acct.has("groups") ? (ArrayNode) acct.get("groups") : acct.putArray("groups");
      a.groups().forEach(groups::add);
      ArrayNode roles = acct.has("roles") ? (ArrayNode) acct.get("roles") : acct.putArray("roles");
      if (a.assumeRole()) {
        roles.add("roster-provisioner");
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
