package dev.roster.sandbox.iam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.sandbox.iam.action.Store;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Group;
import dev.roster.sandbox.iam.model.ManagedPolicy;
import dev.roster.sandbox.iam.model.MfaDevice;
import dev.roster.sandbox.iam.model.Role;
import dev.roster.sandbox.iam.model.SandboxState;
import dev.roster.sandbox.iam.model.Session;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.Params;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * How the state file is kept: a snapshot (the state file itself) plus an append-only journal beside
 * it ({@code <state file>.journal}), so a change costs what it changed, not the whole state.
 *
 * <p>Each successful mutating call appends one JSON line, written before the call is answered: the
 * named user as it now is (or {@code null} once deleted) and, for calls that may touch more than
 * one user (groups, policies, MFA devices, STS sessions), the account's small maps or the sessions
 * whole. Loading reads the snapshot, then replays the journal (the last line about an entity wins).
 * When the journal has grown past the snapshot's size (at least 1 MiB), it is folded into a new
 * snapshot: the journal is renamed aside ({@code .journal.old}), appends go on into a fresh one,
 * the snapshot is written atomically and the old journal deleted. Every entity changed after the
 * rename is in the fresh journal, whose lines therefore win over the snapshot on the next load. The
 * whole state is written only then, at start, after a seed or reset, on {@code save()} and at stop:
 * amortised, a change costs a constant share of its own size.
 */
final class StateJournal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StateJournal.class.getName());
  private static final long MIN_COMPACTION_BYTES = 1 << 20;

  private final Path snapshot;
  private final Path journal;
  private final Path previous;
  private final ObjectMapper mapper;
  private final Object snapshotLock = new Object();
  private OutputStream out; // guarded by this
  private long journalBytes; // guarded by this
  private volatile long snapshotBytes;

  StateJournal(Path snapshot, ObjectMapper mapper) {
    this.snapshot = snapshot;
    this.journal = snapshot.resolveSibling(snapshot.getFileName() + ".journal");
    this.previous = snapshot.resolveSibling(snapshot.getFileName() + ".journal.old");
    this.mapper = mapper;
  }

  Path journalFile() {
    return journal;
  }

  /** Fills the store from the snapshot and whatever journals a stopped or crashed run left. */
  void load(Store store) {
    store.clear();
    try {
      if (Files.exists(snapshot)) {
        SandboxState state = mapper.readValue(snapshot.toFile(), SandboxState.class);
        state.accounts.forEach(
            (id, account) -> {
              account.id = id;
              store.put(account);
            });
        state.sessions.values().forEach(store::putSession);
      }
      replay(previous, store);
      replay(journal, store);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load IAM sandbox state " + snapshot, e);
    }
  }

  private void replay(Path file, Store store) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry;
        try {
          entry = mapper.readTree(line);
        } catch (IOException e) {
          // Only the last line can be torn (a crash while it was written): that call never
          // answered.
          LOG.log(
              System.Logger.Level.WARNING, "IAM sandbox: skipped a torn journal line in " + file);
          continue;
        }
        apply(entry, store);
      }
    }
  }

  private void apply(JsonNode entry, Store store) throws IOException {
    if (entry.has("sessions")) {
      for (JsonNode s : entry.get("sessions")) {
        store.putSession(mapper.treeToValue(s, Session.class));
      }
      return;
    }
    Account account = store.account(entry.get("account").asText());
    JsonNode users = entry.path("users");
    for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> u = it.next();
      if (u.getValue().isNull()) {
        account.users.remove(u.getKey());
      } else {
        account.users.put(u.getKey(), mapper.treeToValue(u.getValue(), User.class));
      }
    }
    if (entry.has("groups")) {
      account.groups =
          mapper.convertValue(entry.get("groups"), new TypeReference<TreeMap<String, Group>>() {});
      account.roles =
          mapper.convertValue(entry.get("roles"), new TypeReference<TreeMap<String, Role>>() {});
      account.policies =
          mapper.convertValue(
              entry.get("policies"), new TypeReference<TreeMap<String, ManagedPolicy>>() {});
      account.mfaDevices =
          mapper.convertValue(
              entry.get("mfaDevices"), new TypeReference<TreeMap<String, MfaDevice>>() {});
    }
  }

  /**
   * Records one successful mutating call. For an IAM call, {@code account} is the caller's account
   * and its lock is held, so the line is this call's result and lines about one account are in the
   * order of its calls; for STS, {@code account} is null and the sessions are written whole.
   */
  void record(String action, Params params, Account account, Store store) {
    ObjectNode line = mapper.createObjectNode();
    if (account == null) {
      synchronized (this) {
        // Taken under the journal's lock: the last sessions line holds every session put before it.
        ObjectNode sessions = line.putObject("sessions");
        store.sessions().forEach(s -> sessions.set(s.accessKeyId, mapper.valueToTree(s)));
        append(line);
      }
      return;
    }
    line.put("account", account.id);
    String userName = params.optional("UserName");
    if (userName != null) {
      String key = Account.key(userName);
      line.putObject("users").set(key, mapper.valueToTree(account.users.get(key)));
    }
    if (userName == null || action.contains("Group") || action.contains("MFA")) {
      // Groups, policies and MFA devices are few (IAM's quotas): written whole, no per-action
      // rules.
      line.set("groups", mapper.valueToTree(account.groups));
      line.set("roles", mapper.valueToTree(account.roles));
      line.set("policies", mapper.valueToTree(account.policies));
      line.set("mfaDevices", mapper.valueToTree(account.mfaDevices));
    }
    append(line);
  }

  private synchronized void append(ObjectNode line) {
    try {
      if (out == null) {
        Files.createDirectories(journal.toAbsolutePath().getParent());
        out = Files.newOutputStream(journal, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      byte[] bytes = (mapper.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      // Unbuffered: the line is with the operating system before the call is answered.
      out.write(bytes);
      journalBytes += bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + journal, e);
    }
  }

  /** Whether the journal has outgrown the snapshot, so folding it in is worth its cost. */
  synchronized boolean compactionDue() {
    return journalBytes > Math.max(MIN_COMPACTION_BYTES, snapshotBytes);
  }

  /** Writes the whole state as the new snapshot and drops the journal it now contains. */
  void snapshot(Supplier<JsonNode> state) {
    synchronized (snapshotLock) {
      try {
        rotate();
        Path dir = snapshot.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".iam-state", ".json");
        mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state.get());
        snapshotBytes = Files.size(tmp);
        Files.move(
            tmp, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(previous);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + snapshot, e);
      }
    }
  }

  /** Moves the current journal aside (after an older one left by a failed snapshot, if any). */
  private synchronized void rotate() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
    journalBytes = 0;
    if (!Files.exists(journal)) {
      return;
    }
    if (Files.exists(previous)) {
      Files.write(previous, Files.readAllBytes(journal), StandardOpenOption.APPEND);
      Files.delete(journal);
    } else {
      Files.move(journal, previous, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Closes the journal; an empty one is removed (the snapshot then holds everything). */
  @Override
  public synchronized void close() {
    try {
      if (out != null) {
        out.close();
        out = null;
      }
      if (journalBytes == 0) {
        Files.deleteIfExists(journal);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
