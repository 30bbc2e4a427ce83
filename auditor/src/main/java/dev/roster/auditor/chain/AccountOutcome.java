package dev.roster.auditor.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the provisioner did in one account for one HR event (the {@code accounts} list of a
 * provisioning outcome). Stored as a canonical JSON array in {@code audit_log.accounts}: keys in
 * the order {@code account, name, state, reason}, no whitespace, absent values as {@code null},
 * then {@code cutOffVerified} only when the provisioner reported it and {@code notices} only when
 * there are any (so entries stored before either keep their text), so that the stored text is
 * exactly what the chain hashes.
 *
 * @param cutOffVerified whether IAM's policy simulation confirmed the deny-all denies everything
 *     (null: not reported, the account was not cut off)
 * @param notices facts to know although nothing failed (e.g. on a rehire: old credentials left
 *     inactive); empty when none
 */
public record AccountOutcome(
    String account,
    String name,
    State state,
    String reason,
    Boolean cutOffVerified,
    List<String> notices) {

  /** The contract's bounds on {@code notices} (provisioning-outcome.schema.json). */
  static final int MAX_NOTICES = 20;

  static final int MAX_NOTICE = 1000;

  public AccountOutcome {
    notices = notices == null ? List.of() : List.copyOf(notices);
  }

  public AccountOutcome(
      String account, String name, State state, String reason, Boolean cutOffVerified) {
    this(account, name, state, reason, cutOffVerified, List.of());
  }

  public AccountOutcome(String account, String name, State state, String reason) {
    this(account, name, state, reason, null);
  }

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final JsonFactory JSON = new JsonFactory();

  /** The per-account state of the contract. */
  public enum State {
    /** The deny-all is in place; cleanup may still be running or have failed. */
    CUT_OFF("cut_off"),
    /** Cut off and cleaned up. */
    COMPLETED("completed"),
    /** Not cut off: the account's changes failed. */
    FAILED("failed"),
    /** Nothing was done in the account. */
    SKIPPED("skipped");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** Whether the person's access in the account is known to be gone. */
    public boolean cutOff() {
      return this == CUT_OFF || this == COMPLETED;
    }

    static Optional<State> fromWire(String value) {
      return Arrays.stream(values()).filter(s -> s.wireName.equals(value)).findFirst();
    }
  }

  /**
   * Reads the {@code accounts} array of an outcome record; throws IllegalArgumentException naming
   * the field for anything outside the contract.
   */
  public static List<AccountOutcome> fromJson(JsonNode accounts) {
    if (!accounts.isArray()) {
      throw new IllegalArgumentException("accounts: must be an array");
    }
    List<AccountOutcome> out = new ArrayList<>(accounts.size());
    for (int i = 0; i < accounts.size(); i++) {
      JsonNode a = accounts.get(i);
      String at = "accounts[" + i + "]";
      if (!a.isObject()) {
        throw new IllegalArgumentException(at + ": must be an object");
      }
      a.fieldNames()
          .forEachRemaining(
              f -> {
                if (!List.of("account", "name", "state", "reason", "cutOffVerified", "notices")
                    .contains(f)) {
                  throw new IllegalArgumentException(at + "." + f + ": unknown field");
                }
              });
      String account = text(a, "account", at);
      if (account == null || !ACCOUNT_ID.matcher(account).matches()) {
        throw new IllegalArgumentException(at + ".account: must be a 12-digit account id");
      }
      String state = text(a, "state", at);
      State s =
          State.fromWire(state)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          at + ".state: must be cut_off, completed, failed or skipped"));
      JsonNode verified = a.get("cutOffVerified");
      if (verified != null && !verified.isNull() && !verified.isBoolean()) {
        throw new IllegalArgumentException(at + ".cutOffVerified: must be a boolean");
      }
      out.add(
          new AccountOutcome(
              account,
              text(a, "name", at),
              s,
              text(a, "reason", at),
              verified == null || verified.isNull() ? null : verified.booleanValue(),
              notices(a.get("notices"), at)));
    }
    return out;
  }

  private static List<String> notices(JsonNode notices, String at) {
    if (notices == null || notices.isNull()) {
      return List.of();
    }
    if (!notices.isArray() || notices.size() > MAX_NOTICES) {
      throw new IllegalArgumentException(
          at + ".notices: must be an array of at most " + MAX_NOTICES + " strings");
    }
    List<String> out = new ArrayList<>(notices.size());
    for (JsonNode n : notices) {
      if (!n.isTextual() || n.textValue().length() > MAX_NOTICE) {
        throw new IllegalArgumentException(
            at + ".notices: each must be a string of at most " + MAX_NOTICE + " characters");
      }
      out.add(n.textValue());
    }
    return out;
  }

  /** Parses what {@link #canonical} wrote (null stays null). */
  public static List<AccountOutcome> parse(String canonical, ObjectMapper mapper) {
    if (canonical == null) {
      return null;
    }
    try {
      return fromJson(mapper.readTree(canonical));
    } catch (IOException e) {
      throw new IllegalStateException("stored accounts are unreadable", e);
    }
  }

  /** The stored and hashed form (null for no list). */
  public static String canonical(List<AccountOutcome> accounts) {
    if (accounts == null) {
      return null;
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (AccountOutcome a : accounts) {
        g.writeStartObject();
        g.writeStringField("account", a.account());
        g.writeStringField("name", a.name());
        g.writeStringField("state", a.state().wireName());
        g.writeStringField("reason", a.reason());
        if (a.cutOffVerified() != null) {
          g.writeBooleanField("cutOffVerified", a.cutOffVerified());
        }
        if (!a.notices().isEmpty()) {
          g.writeArrayFieldStart("notices");
          for (String notice : a.notices()) {
            g.writeString(notice);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String text(JsonNode object, String field, String at) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(at + "." + field + ": must be a string");
    }
    return v.asText();
  }
}
