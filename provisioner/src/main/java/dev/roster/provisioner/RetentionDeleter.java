package dev.roster.provisioner;

import dev.roster.events.AccountOutcome;
import dev.roster.events.AccountState;
import dev.roster.events.ChangeStatus;
import dev.roster.events.EventType;
import dev.roster.events.HrEvent;
import dev.roster.events.IamChange;
import dev.roster.events.Outcome;
import dev.roster.events.ProvisioningOutcome;
import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.iam.Fenced;
import dev.roster.provisioner.iam.IamFailure;
import dev.roster.provisioner.iam.IamGateway;
import dev.roster.provisioner.iam.IamGateway.UserItems;
import dev.roster.provisioner.iam.UserIndex;
import dev.roster.provisioner.messaging.Publisher;
import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import dev.roster.provisioner.plan.Tags;
import dev.roster.provisioner.plan.UserState;
import dev.roster.provisioner.schedule.Pending;
import dev.roster.provisioner.schedule.Retention;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Deletes a leaver's users when retention is over, in every account, each account on its own. Only
 * a user Roster owns (tagged {@code roster:managed-by=roster} with the employee's id) that it
 * deactivated and that still holds the deny-all is deleted; anything else is left as it is and
 * reported. The deny-all stays until everything else is gone, so the user is locked out until it no
 * longer exists. Every call is one {@code dev.roster.iam.change}; the deadline's id ({@code <leave
 * id>:retention}) is their event id and has its own outcome.
 */
public final class RetentionDeleter implements Retention.Deleter {
  private final RoleMapping mapping;
  private final IamGateway iam;
  private final UserIndex index;
  private final Publisher publisher;
  private final ChangeRecords records;

  public RetentionDeleter(
      RoleMapping mapping, IamGateway iam, UserIndex index, Publisher publisher, Clock clock) {
    this.mapping = mapping;
    this.iam = iam;
    this.index = index;
    this.publisher = publisher;
    this.records = new ChangeRecords(clock);
  }

  @Override
  public void delete(int partition, String employeeId, Pending entry, BooleanSupplier owned) {
    OffsetDateTime started = records.now();
    // The records' event: the deadline, so the audit links every deletion to it.
    HrEvent deadline =
        new HrEvent(
            entry.id(), EventType.LEAVE, employeeId, started, started, null, "retention ended");
    List<IamChange> changes = new ArrayList<>();
    List<AccountOutcome> accounts = new ArrayList<>();
    int planned = 0;
    for (RoleMapping.Account account : mapping.accounts().values()) {
      List<Operation> ops = new ArrayList<>();
      String reason = null;
      AccountState state = AccountState.COMPLETED;
      try {
        Optional<String> name = index.find(account.name(), employeeId);
        Optional<UserItems> items =
            name.isEmpty() ? Optional.empty() : iam.items(account.name(), name.get());
        if (items.isEmpty()) {
          accounts.add(
              new AccountOutcome(account.id(), account.name(), AccountState.SKIPPED, "no-user"));
          continue;
        }
        reason = refusal(employeeId, items.get().state(), mapping.ignored(account.name()));
        if (reason != null) {
          Log.warnf("retention %s in %s: %s", entry.id(), account.name(), reason);
          accounts.add(
              new AccountOutcome(account.id(), account.name(), AccountState.FAILED, reason));
          continue;
        }
        ops = operations(items.get());
        planned += ops.size();
        for (Operation op : ops) {
          if (!owned.getAsBoolean()) {
            throw new Fenced("retention " + entry.id());
          }
          try {
            var applied = iam.apply(account.name(), op, owned);
            changes.add(
                records.change(
                    deadline,
                    account.id(),
                    op,
                    applied.planned() ? ChangeStatus.PLANNED : ChangeStatus.APPLIED,
                    null,
                    applied.awsRequestId()));
          } catch (IamFailure f) {
            changes.add(
                records.change(
                    deadline, account.id(), op, ChangeStatus.FAILED, f.getMessage(), null));
            throw f;
          }
        }
        index.forget(account.name(), employeeId, items.get().state().userName());
      } catch (IamFailure f) {
        state = AccountState.FAILED;
        reason = "iam-error: " + f.getMessage();
      }
      accounts.add(new AccountOutcome(account.id(), account.name(), state, reason));
    }
    boolean failed = accounts.stream().anyMatch(a -> a.state() == AccountState.FAILED);
    boolean none = accounts.stream().allMatch(a -> a.state() == AccountState.SKIPPED);
    Outcome outcome = failed ? Outcome.FAILED : none ? Outcome.SKIPPED : Outcome.COMPLETED;
    String reason =
        failed
            ? accounts.stream()
                .filter(a -> a.state() == AccountState.FAILED)
                .map(a -> "account " + a.name() + ": " + a.reason())
                .findFirst()
                .orElse(null)
            : none ? "no user left to delete" : null;
    ProvisioningOutcome result =
        records.outcome(deadline, outcome, started, null, planned, changes, reason, accounts);
    if (!owned.getAsBoolean()) {
      throw new Fenced("retention " + entry.id() + " (applied, not published here)");
    }
    publisher.publish(changes, result);
    Log.infof(
        "retention %s of employee %s: %s, %d IAM calls",
        entry.id(), employeeId, outcome.wireName(), changes.size());
  }

  /** Why this user is not deleted, or null: only Roster's own, deactivated, deny-all users. */
  static String refusal(String employeeId, UserState user, Set<String> ignored) {
    if (!Tags.MANAGED_BY_ROSTER.equals(user.tags().get(Tags.MANAGED_BY))
        || !employeeId.equals(user.tags().get(Tags.EMPLOYEE_ID))) {
      return "unmanaged-user: " + user.userName() + " is not Roster's user of " + employeeId;
    }
    if (!Tags.STATUS_DEACTIVATED.equals(user.tags().get(Tags.STATUS))
        || !user.inlinePolicies().contains(Tags.DENY_ALL_POLICY)) {
      return "not-deactivated: "
          + user.userName()
          + " is not deactivated with the deny-all in place (rehired?); kept";
    }
    Set<String> held = new TreeSet<>();
    user.groups().stream()
        .filter(g -> ignored.stream().anyMatch(i -> i.equalsIgnoreCase(g)))
        .forEach(held::add);
    if (!held.isEmpty()) {
      // Roster never adds or removes ignored memberships (break-glass): a person decides.
      return "ignored-group: "
          + user.userName()
          + " is still in "
          + held
          + ", which Roster never changes; kept (locked out) until removed by hand";
    }
    return null;
  }

  /**
   * What IAM requires gone, then the user: credentials, MFA, groups, policies, the deny-all last.
   */
  static List<Operation> operations(UserItems items) {
    UserState s = items.state();
    String u = s.userName();
    List<Operation> ops = new ArrayList<>();
    if (s.loginProfile()) {
      ops.add(Operation.of(IamAction.DELETE_LOGIN_PROFILE, u, u));
    }
    new TreeSet<>(items.accessKeys())
        .forEach(k -> ops.add(Operation.of(IamAction.DELETE_ACCESS_KEY, u, k)));
    new TreeSet<>(items.sshKeys())
        .forEach(k -> ops.add(Operation.of(IamAction.DELETE_SSH_PUBLIC_KEY, u, k)));
    new TreeSet<>(items.serviceCredentials())
        .forEach(c -> ops.add(Operation.of(IamAction.DELETE_SERVICE_SPECIFIC_CREDENTIAL, u, c)));
    new TreeSet<>(items.signingCertificates())
        .forEach(c -> ops.add(Operation.of(IamAction.DELETE_SIGNING_CERTIFICATE, u, c)));
    // Roster creates no MFA device, so it deletes none: deactivated, a device is its owner's.
    new TreeSet<>(s.mfaDevices())
        .forEach(m -> ops.add(Operation.of(IamAction.DEACTIVATE_MFA_DEVICE, u, m)));
    new TreeSet<>(s.groups())
        .forEach(g -> ops.add(Operation.of(IamAction.REMOVE_USER_FROM_GROUP, u, g)));
    new TreeSet<>(s.attachedPolicies())
        .forEach(p -> ops.add(Operation.of(IamAction.DETACH_USER_POLICY, u, p)));
    new TreeSet<>(s.inlinePolicies())
        .stream()
            .filter(p -> !p.equals(Tags.DENY_ALL_POLICY))
            .forEach(p -> ops.add(Operation.of(IamAction.DELETE_USER_POLICY, u, p)));
    ops.add(Operation.of(IamAction.DELETE_USER_POLICY, u, Tags.DENY_ALL_POLICY));
    ops.add(Operation.of(IamAction.DELETE_USER, u, u));
    return ops;
  }
}
