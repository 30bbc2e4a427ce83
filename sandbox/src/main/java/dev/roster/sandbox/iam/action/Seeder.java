package dev.roster.sandbox.iam.action;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.sandbox.iam.model.AccessKey;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.InlinePolicy;
import dev.roster.sandbox.iam.model.LoginProfile;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Status;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies a seed document (see the module README) to the store. Seeding is idempotent: entities
 * that already exist (by name, ignoring case) are kept, and only what is missing is added.
 */
public final class Seeder {
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final ObjectMapper mapper;

  public Seeder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public void seed(Store store, JsonNode seed) {
    JsonNode accounts = seed.path("accounts");
    if (!accounts.isObject()) {
      throw new IllegalArgumentException(
          "seed: \"accounts\" must be an object keyed by account id");
    }
    Iterator<Map.Entry<String, JsonNode>> it = accounts.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().matches("\\d{12}")) {
        throw new IllegalArgumentException("seed: account id must be 12 digits: " + e.getKey());
      }
      try {
        store.locked(
            e.getKey(),
            account -> {
              seedAccount(account, e.getValue());
              return null;
            });
      } catch (IamException problem) {
        throw new IllegalArgumentException(
            "seed: account " + e.getKey() + ": " + problem.getMessage(), problem);
      }
    }
  }

  private void seedAccount(Account a, JsonNode spec) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (JsonNode p : spec.path("policies")) {
      String name = name(p, "policy");
      if (!a.policies.containsKey(Account.key(name))) {
        JsonNode doc = p.path("document");
        String document =
            doc.isMissingNode()
                ? "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}"
                : doc.isTextual() ? doc.asText() : doc.toString();
        Policies.create(
            a, name, text(p, "path", "/"), document, text(p, "description", null), Map.of(), now);
      }
    }
    for (JsonNode r : spec.path("roles")) {
      StsActions.createRole(a, name(r, "role"), text(r, "path", "/"), now);
    }
    for (JsonNode g : spec.path("groups")) {
      String name = name(g, "group");
      Group group = a.groups.get(Account.key(name));
      if (group == null) {
        group = GroupActions.create(a, name, text(g, "path", "/"), now);
      }
      attach(a, group.attachedPolicies, g.path("policies"));
      inline(group.inlinePolicies, g.path("inlinePolicies"));
    }
    for (JsonNode u : spec.path("users")) {
      String name = name(u, "user");
      User user = a.users.get(Account.key(name));
      if (user == null) {
        user = new User();
        user.name = name;
        user.path = text(u, "path", "/");
        user.id = Ids.uniqueId("AIDA");
        user.createDate = now;
        a.users.put(Account.key(name), user);
      }
      JsonNode tags = u.path("tags");
      if (tags.isObject()) {
        Entities.mergeTags(user.tags, mapper.convertValue(tags, STRING_MAP));
      }
      for (JsonNode g : u.path("groups")) {
        GroupActions.addMember(a, Entities.group(a, g.asText()), user);
      }
      String boundary = text(u, "permissionsBoundary", null);
      if (boundary != null) {
        user.permissionsBoundary = Policies.resolve(a, boundary);
      }
      attach(a, user.attachedPolicies, u.path("policies"));
      inline(user.inlinePolicies, u.path("inlinePolicies"));
      credentials(user, u, now);
    }
  }

  /**
   * Access keys and a console password with the dates a hygiene review reads (created long ago,
   * last used or never): applied only to a user who has none yet, so seeding stays idempotent.
   */
  private static void credentials(User user, JsonNode spec, Instant now) {
    JsonNode keys = spec.path("accessKeys");
    if (keys.isArray() && !keys.isEmpty() && user.accessKeys.isEmpty()) {
      if (keys.size() > CredentialActions.ACCESS_KEYS_PER_USER) {
        throw new IllegalArgumentException(
            "seed: user "
                + user.name
                + ": at most "
                + CredentialActions.ACCESS_KEYS_PER_USER
                + " access keys");
      }
      for (JsonNode k : keys) {
        AccessKey key = new AccessKey();
        key.id = text(k, "id", Ids.accessKeyId("AKIA"));
        key.status = Status.valueOf(text(k, "status", "Active"));
        key.createDate = instant(k, "createDate", now);
        key.lastUsedDate = instant(k, "lastUsedDate", null);
        key.lastUsedService = text(k, "lastUsedService", key.lastUsedDate == null ? null : "iam");
        key.lastUsedRegion =
            text(k, "lastUsedRegion", key.lastUsedDate == null ? null : "us-east-1");
        user.accessKeys.add(key);
      }
    }
    JsonNode login = spec.path("loginProfile");
    if (login.isObject() && user.loginProfile == null) {
      LoginProfile profile = new LoginProfile();
      profile.createDate = instant(login, "createDate", now);
      profile.passwordLastSet = profile.createDate;
      profile.passwordResetRequired = login.path("passwordResetRequired").asBoolean(false);
      user.loginProfile = profile;
    }
  }

  private static Instant instant(JsonNode node, String field, Instant fallback) {
    String value = text(node, field, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Instant.parse(value).truncatedTo(ChronoUnit.SECONDS);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "seed: " + field + " is not an ISO-8601 instant: " + value);
    }
  }

  private static void attach(Account a, List<String> attached, JsonNode policies) {
    for (JsonNode p : policies) {
      String arn = Policies.resolve(a, p.asText());
      if (!attached.contains(arn)) {
        attached.add(arn);
      }
    }
  }

  private static void inline(Map<String, InlinePolicy> target, JsonNode policies) {
    Iterator<Map.Entry<String, JsonNode>> it = policies.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode doc = e.getValue();
      target.put(
          Account.key(e.getKey()),
          new InlinePolicy(e.getKey(), doc.isTextual() ? doc.asText() : doc.toString()));
    }
  }

  private static String name(JsonNode node, String what) {
    String name = node.isTextual() ? node.asText() : node.path("name").asText(null);
    if (name == null || !Params.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("seed: invalid " + what + " name: " + node);
    }
    return name;
  }

  private static String text(JsonNode node, String field, String fallback) {
    return node.isObject() ? node.path(field).asText(fallback) : fallback;
  }
}
