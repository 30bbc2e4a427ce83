package dev.roster.policy.review;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One account as a review read it: its 12-digit id, its name in the role mapping, the groups the
 * mapping ignores there, and Roster's users in it.
 */
public record AccountFacts(
    String accountId, String name, Set<String> ignoredGroups, List<ReviewedUser> users) {
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  public AccountFacts {
    Objects.requireNonNull(name, "name");
    if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
      throw new IllegalArgumentException("account id must be 12 digits, was " + accountId);
    }
    ignoredGroups = Set.copyOf(ignoredGroups);
    users = List.copyOf(users);
  }
}
