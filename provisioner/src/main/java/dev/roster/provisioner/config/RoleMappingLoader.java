package dev.roster.provisioner.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.roster.provisioner.config.RoleMapping.Account;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates the role mapping YAML. Collects every problem before refusing, so an operator
 * fixes the file in one go instead of one restart per typo.
 */
public final class RoleMappingLoader {
  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("accounts", "birthright", "roles", "ignoredGroups", "privileged", "organization");
  private static final Set<String> ORGANIZATION_KEYS = Set.of("management", "ous");
  private static final Set<String> OU_KEYS = Set.of("accounts", "scps");
  private static final Set<String> PRIVILEGED_KEYS = Set.of("group", "account", "reason");
  private static final Set<String> ACCOUNT_KEYS = Set.of("id", "assumeRole");
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}");
  // IAM group names: 1-128 of these characters.
  private static final Pattern GROUP_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private RoleMappingLoader() {}

  public static RoleMapping load(Path file) {
    if (!Files.isReadable(file)) {
      throw new RoleMappingException(
          file.toString(),
          List.of("file not found or not readable (set roster.roles-file / ROSTER_ROLES_FILE)"));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    } catch (IOException e) {
      throw new RoleMappingException(file.toString(), List.of("cannot read: " + e.getMessage()));
    }
  }

  public static RoleMapping load(InputStream in, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (JsonParseException e) {
      throw new RoleMappingException(source, List.of(describe(e)));
    } catch (IOException e) {
      throw new RoleMappingException(source, List.of("not valid YAML: " + e.getMessage()));
    }
    return new Validator(source).validate(root);
  }

  private static String describe(JsonParseException e) {
    String message = e.getOriginalMessage();
    String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    Matcher dup = Pattern.compile("Duplicate field '([^']*)'").matcher(message);
    if (dup.find()) {
      return "duplicate key '" + dup.group(1) + "'" + where;
    }
    return "not valid YAML: " + message + where;
  }

  private static final class Validator {
    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Account> accounts = new LinkedHashMap<>();

    Validator(String source) {
      this.source = source;
    }

    RoleMapping validate(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw new RoleMappingException(source, List.of("expected a mapping with key 'accounts'"));
      }
      for (Map.Entry<String, JsonNode> property : root.properties()) {
        String key = property.getKey();
        if (!TOP_LEVEL_KEYS.contains(key)) {
          problems.add("unknown key '" + key + "' (expected one of " + TOP_LEVEL_KEYS + ")");
        }
      }
      readAccounts(root.get("accounts"));
      Map<String, Set<String>> birthright =
          readGroupsByAccount("birthright", root.get("birthright"));
      Map<String, Map<String, Set<String>>> roles = new HashMap<>();
      JsonNode rolesNode = root.get("roles");
      if (rolesNode != null && !rolesNode.isNull()) {
        if (!rolesNode.isObject()) {
          problems.add("roles: expected a mapping of role name to { account: [groups] }");
        } else {
          rolesNode
              .properties()
              .forEach(
                  e -> {
                    if (e.getKey().isBlank()) {
                      problems.add("roles: empty role name");
                    }
                    roles.put(e.getKey(), readGroupsByAccount("roles." + e.getKey(), e.getValue()));
                  });
        }
      }
      Map<String, Set<String>> ignored =
          readGroupsByAccount("ignoredGroups", root.get("ignoredGroups"));
      checkIgnoredNotGranted(birthright, roles, ignored);
      Map<String, Map<String, String>> privileged =
          readPrivileged(root.get("privileged"), birthright, roles);
      Optional<RoleMapping.Organization> organization = readOrganization(root.get("organization"));
      if (!problems.isEmpty()) {
        throw new RoleMappingException(source, problems);
      }
      return new RoleMapping(accounts, birthright, roles, ignored, privileged, organization);
    }

    private void readAccounts(JsonNode node) {
      if (node == null || !node.isObject() || node.isEmpty()) {
        problems.add(
            "accounts: at least one account is required, e.g. dev: { id: \"111111111111\" }");
        return;
      }
      Map<String, String> namesById = new HashMap<>();
      node.properties()
          .forEach(
              e -> {
                String name = e.getKey();
                String where = "accounts." + name;
                JsonNode value = e.getValue();
                if (name.isBlank()) {
                  problems.add("accounts: empty account name");
                }
                if (!value.isObject()) {
                  problems.add(where + ": expected { id: \"<12 digits>\" }");
                  return;
                }
                value
                    .properties()
                    .forEach(
                        p -> {
                          String k = p.getKey();
                          if (!ACCOUNT_KEYS.contains(k)) {
                            problems.add(where + ": unknown key '" + k + "'");
                          }
                        });
                // Quote account ids in YAML: an unquoted id with a leading zero is a number.
                String id = value.path("id").isTextual() ? value.path("id").asText() : null;
                if (id == null || !ACCOUNT_ID.matcher(id).matches()) {
                  problems.add(where + ".id: must be a quoted 12-digit AWS account id");
                  return;
                }
                String other = namesById.putIfAbsent(id, name);
                if (other != null) {
                  problems.add(
                      where + ".id: account " + id + " is already mapped as '" + other + "'");
                }
                Optional<String> assumeRole = Optional.empty();
                JsonNode role = value.get("assumeRole");
                if (role != null && !role.isNull()) {
                  Matcher m = ROLE_ARN.matcher(role.asText());
                  if (!role.isTextual() || !m.matches()) {
                    problems.add(
                        where
                            + ".assumeRole: must be a role ARN like arn:aws:iam::"
                            + id
                            + ":role/roster-provisioner");
                  } else if (!m.group(1).equals(id)) {
                    problems.add(
                        where + ".assumeRole: role is in account " + m.group(1) + ", not " + id);
                  } else {
                    assumeRole = Optional.of(role.asText());
                  }
                }
                accounts.put(name, new Account(name, id, assumeRole));
              });
    }

    private Map<String, Set<String>> readGroupsByAccount(String where, JsonNode node) {
      Map<String, Set<String>> result = new HashMap<>();
      if (node == null || node.isNull()) {
        return result;
      }
      if (!node.isObject()) {
        problems.add(where + ": expected a mapping of account name to a list of groups");
        return result;
      }
      node.properties()
          .forEach(
              e -> {
                String account = e.getKey();
                String here = where + "." + account;
                if (!accounts.containsKey(account)) {
                  problems.add(
                      here
                          + ": unknown account '"
                          + account
                          + "' (known: "
                          + String.join(", ", accounts.keySet())
                          + ")");
                }
                if (!e.getValue().isArray()) {
                  problems.add(here + ": expected a list of group names, e.g. [developers]");
                  return;
                }
                Set<String> groups = new LinkedHashSet<>();
                Set<String> lower = new java.util.HashSet<>();
                for (JsonNode g : e.getValue()) {
                  String group = g.isTextual() ? g.asText().strip() : "";
                  if (group.isEmpty()) {
                    problems.add(here + ": empty group name");
                  } else if (!GROUP_NAME.matcher(group).matches()) {
                    problems.add(here + ": '" + group + "' is not a valid IAM group name");
                  } else if (!lower.add(group.toLowerCase(Locale.ROOT))) {
                    problems.add(here + ": group '" + group + "' is listed twice");
                  } else {
                    groups.add(group);
                  }
                }
                result.put(account, Set.copyOf(groups));
              });
      return result;
    }

    /**
     * {@code privileged: [{group: g, account: a, reason: "..."}]}: each entry names a group the
     * mapping grants in that account and says why its members may hold IAM access.
     */
    private Map<String, Map<String, String>> readPrivileged(
        JsonNode node,
        Map<String, Set<String>> birthright,
        Map<String, Map<String, Set<String>>> roles) {
      Map<String, Map<String, String>> result = new HashMap<>();
      if (node == null || node.isNull()) {
        return result;
      }
      if (!node.isArray()) {
        problems.add(
            "privileged: expected a list of {group: <group>, account: <account>, reason: \"...\"}");
        return result;
      }
      for (int i = 0; i < node.size(); i++) {
        JsonNode entry = node.get(i);
        String where = "privileged[" + i + "]";
        if (!entry.isObject()) {
          problems.add(where + ": expected {group: <group>, account: <account>, reason: \"...\"}");
          continue;
        }
        entry
            .properties()
            .forEach(
                p -> {
                  if (!PRIVILEGED_KEYS.contains(p.getKey())) {
                    problems.add(where + ": unknown key '" + p.getKey() + "'");
                  }
                });
        String group = entry.path("group").isTextual() ? entry.path("group").asText().strip() : "";
        String account =
            entry.path("account").isTextual() ? entry.path("account").asText().strip() : "";
        String reason =
            entry.path("reason").isTextual() ? entry.path("reason").asText().strip() : "";
        if (reason.isEmpty()) {
          problems.add(where + ".reason: required (why members of this group may hold IAM access)");
        }
        if (!accounts.containsKey(account)) {
          problems.add(
              where
                  + ".account: unknown account '"
                  + account
                  + "' (known: "
                  + String.join(", ", accounts.keySet())
                  + ")");
          continue;
        }
        Set<String> granted = new java.util.HashSet<>();
        birthright.getOrDefault(account, Set.of()).forEach(g -> granted.add(lc(g)));
        roles
            .values()
            .forEach(r -> r.getOrDefault(account, Set.of()).forEach(g -> granted.add(lc(g))));
        if (!granted.contains(lc(group))) {
          problems.add(
              where
                  + ".group: '"
                  + group
                  + "' is not granted in account "
                  + account
                  + " by birthright or any role");
          continue;
        }
        Map<String, String> byGroup = result.computeIfAbsent(account, a -> new HashMap<>());
        boolean duplicate = byGroup.keySet().stream().anyMatch(g -> g.equalsIgnoreCase(group));
        if (duplicate) {
          problems.add(where + ": group '" + group + "' in " + account + " is listed twice");
        } else {
          byGroup.put(group, reason);
        }
      }
      return result;
    }

    /**
     * {@code organization: {management: dev, ous: {Production: {accounts: [prod], scps: [...]}}}}:
     * the management account and every account of the layout are mapped accounts, an account is in
     * one OU at most, SCP names are non-empty and listed once per OU.
     */
    private Optional<RoleMapping.Organization> readOrganization(JsonNode node) {
      if (node == null || node.isNull()) {
        return Optional.empty();
      }
      String expected =
          "expected {management: <account>, ous: {<OU name>: {accounts: [...], scps: [...]}}}";
      if (!node.isObject()) {
        problems.add("organization: " + expected);
        return Optional.empty();
      }
      node.properties()
          .forEach(
              p -> {
                if (!ORGANIZATION_KEYS.contains(p.getKey())) {
                  problems.add("organization: unknown key '" + p.getKey() + "'");
                }
              });
      String management =
          node.path("management").isTextual() ? node.path("management").asText().strip() : "";
      if (management.isEmpty()) {
        problems.add(
            "organization.management: required (the mapped account that is the organization's"
                + " management account)");
      } else if (!accounts.containsKey(management)) {
        problems.add(
            "organization.management: unknown account '"
                + management
                + "' (known: "
                + String.join(", ", accounts.keySet())
                + ")");
      }
      Map<String, RoleMapping.Ou> ous = new LinkedHashMap<>();
      JsonNode ousNode = node.get("ous");
      if (ousNode != null && !ousNode.isNull() && !ousNode.isObject()) {
        problems.add("organization.ous: " + expected);
      } else if (ousNode != null && ousNode.isObject()) {
        Map<String, String> placed = new HashMap<>();
        ousNode
            .properties()
            .forEach(
                e -> {
                  String where = "organization.ous." + e.getKey();
                  if (e.getKey().isBlank()) {
                    problems.add("organization.ous: empty OU name");
                  }
                  JsonNode ou = e.getValue();
                  if (!ou.isObject()) {
                    problems.add(where + ": expected {accounts: [...], scps: [...]}");
                    return;
                  }
                  ou.properties()
                      .forEach(
                          p -> {
                            if (!OU_KEYS.contains(p.getKey())) {
                              problems.add(where + ": unknown key '" + p.getKey() + "'");
                            }
                          });
                  List<String> names = names(where + ".accounts", ou.get("accounts"));
                  for (String account : names) {
                    if (!accounts.containsKey(account)) {
                      problems.add(
                          where
                              + ".accounts: unknown account '"
                              + account
                              + "' (known: "
                              + String.join(", ", accounts.keySet())
                              + ")");
                    } else {
                      String other = placed.putIfAbsent(account, e.getKey());
                      if (other != null) {
                        problems.add(
                            where + ".accounts: '" + account + "' is already in OU " + other);
                      }
                    }
                  }
                  ous.put(
                      e.getKey(),
                      new RoleMapping.Ou(names, names(where + ".scps", ou.get("scps"))));
                });
      }
      if (management.isEmpty() || !accounts.containsKey(management)) {
        return Optional.empty();
      }
      return Optional.of(new RoleMapping.Organization(management, ous));
    }

    /** A list of distinct, non-empty names (absent: none). */
    private List<String> names(String where, JsonNode node) {
      List<String> names = new ArrayList<>();
      if (node == null || node.isNull()) {
        return names;
      }
      if (!node.isArray()) {
        problems.add(where + ": expected a list of names");
        return names;
      }
      for (JsonNode n : node) {
        String name = n.isTextual() ? n.asText().strip() : "";
        if (name.isEmpty()) {
          problems.add(where + ": empty name");
        } else if (names.contains(name)) {
          problems.add(where + ": '" + name + "' is listed twice");
        } else {
          names.add(name);
        }
      }
      return names;
    }

    private void checkIgnoredNotGranted(
        Map<String, Set<String>> birthright,
        Map<String, Map<String, Set<String>>> roles,
        Map<String, Set<String>> ignored) {
      ignored.forEach(
          (account, groups) -> {
            Set<String> granted = new java.util.HashSet<>();
            birthright.getOrDefault(account, Set.of()).forEach(g -> granted.add(lc(g)));
            roles
                .values()
                .forEach(r -> r.getOrDefault(account, Set.of()).forEach(g -> granted.add(lc(g))));
            groups.stream()
                .filter(g -> granted.contains(lc(g)))
                .forEach(
                    g ->
                        problems.add(
                            "ignoredGroups."
                                + account
                                + ": '"
                                + g
                                + "' is also granted by birthright or a role; a group is either"
                                + " managed or ignored"));
          });
    }

    private static String lc(String s) {
      return s.toLowerCase(Locale.ROOT);
    }
  }
}
