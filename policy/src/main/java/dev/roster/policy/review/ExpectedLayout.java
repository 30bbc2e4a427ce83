package dev.roster.policy.review;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The organization's layout as the role mapping gives it ({@code organization: {ous: {Production:
 * {accounts: [prod], scps: [deny-iam-user-creation]}}}}): per OU name, the accounts directly in it
 * (mapping names resolved to 12-digit ids by the caller) and the SCPs attached to it, by name.
 */
public record ExpectedLayout(Map<String, Ou> ous) {

  /** One OU of the layout. */
  public record Ou(Set<String> accounts, List<String> scps) {
    public Ou {
      accounts = Set.copyOf(accounts);
      scps = List.copyOf(scps);
    }
  }

  public ExpectedLayout {
    ous = Collections.unmodifiableMap(new LinkedHashMap<>(ous));
    Map<String, String> placed = new HashMap<>();
    ous.forEach(
        (ou, expected) ->
            expected
                .accounts()
                .forEach(
                    account -> {
                      String other = placed.putIfAbsent(account, ou);
                      if (other != null) {
                        throw new IllegalArgumentException(
                            "account "
                                + account
                                + " is in two OUs of the layout: "
                                + other
                                + ", "
                                + ou);
                      }
                    }));
  }

  /** No expected layout: only the comparison with the previous review and empty OUs count. */
  public static ExpectedLayout none() {
    return new ExpectedLayout(Map.of());
  }

  /** The SCP names the layout gives an OU of this name (none when the layout does not name it). */
  public List<String> scpsOf(String ouName) {
    Ou ou = ous.get(ouName);
    return ou == null ? List.of() : ou.scps();
  }
}
