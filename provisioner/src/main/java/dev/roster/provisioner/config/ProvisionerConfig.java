package dev.roster.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Provisioner settings; every key can be set by its environment variable (ROSTER_...). */
@ConfigMapping(prefix = "roster")
public interface ProvisionerConfig {

  /** Role mapping YAML, validated at start-up (ROSTER_ROLES_FILE). */
  @WithDefault("deploy/roles.yaml")
  String rolesFile();

  /** Plan and publish changes with status {@code planned}, apply nothing (ROSTER_DRY_RUN). */
  @WithDefault("false")
  boolean dryRun();

  /**
   * How long a consumer losing a partition in a rebalance waits for the event it is applying to
   * finish before fencing it (no further mutation; the new owner completes it). Holds up the
   * rebalance, so keep it well under {@code max.poll.interval.ms} (5 min).
   */
  @WithDefault("PT30S")
  Duration revokeDrainTimeout();

  /**
   * HR events applied at once by this instance (ROSTER_MAX_IN_FLIGHT), across all its partitions:
   * many employees at once, each employee's events one after another in order. Each one holds a
   * thread while it waits on IAM, so this is what hides IAM's latency: at 50 ms per call a leave
   * waits about a second on IAM, and 64 at once keep about 64 calls in flight.
   */
  @WithDefault("64")
  int maxInFlight();

  /**
   * Leaves cut off in every account whose cleanup still runs, beside the {@code max-in-flight}
   * slots (ROSTER_CLEANUP_IN_FLIGHT): a leave cut off at its turn frees its slot for the next event
   * once its cut-off step is over, its cleanup going on in this separate stage. The employee's next
   * event still waits for the cleanup, and its offset is committed only after it. Each holds a
   * thread while it waits. 0 (the default): every event keeps its slot, since leaves are cut off as
   * soon as they are taken in ({@code early-cut-offs}) and a burst's cut-offs no longer wait for
   * slots; with 1024 and no early cut-offs, a 1,000-leave burst took the provisioner to 578 MiB
   * RSS, over its 512 MiB container limit (bench/run leaver).
   */
  @WithDefault("0")
  int cleanupInFlight();

  /**
   * Leaves cut off at once as soon as they are taken in, ahead of their turn
   * (ROSTER_EARLY_CUT_OFFS): a leave's deny-alls are put when the dispatcher admits it (see {@code
   * lookahead}), not when its turn comes after its employee's earlier events and other events'
   * cleanups; waiting cut-offs hold no thread. Each of these threads runs one leave's cut-off (its
   * accounts on the cut-off threads). 0: every leave is cut off at its turn.
   */
  @WithDefault("32")
  int earlyCutOffs();

  /**
   * Records admitted beyond {@code max-in-flight} to wait for a slot (ROSTER_LOOKAHEAD): when the
   * limit is reached, a free slot goes to the oldest waiting leave first, so a leave overtakes up
   * to this many hires and role changes of other employees. Every leave admitted is cut off at once
   * ({@code early-cut-offs}), so this is also how many leaves of a burst are cut off ahead of their
   * turn; a waiting record holds no thread, only its bytes. When these are full too, the consumer
   * stops taking records (the connector pauses polling). On a crash or hand-over, up to {@code
   * max-in-flight + lookahead} records are read again (idempotent).
   */
  @WithDefault("1024")
  int lookahead();

  /**
   * Zone in which a date-only {@code effectiveAt} is read when the employee has no {@code timeZone}
   * (ROSTER_DEFAULT_TIME_ZONE); an IANA name, validated at start-up.
   */
  @WithDefault("UTC")
  ZoneId defaultTimeZone();

  /**
   * An event due at most this long after now is applied at once instead of held
   * (ROSTER_HOLD_TOLERANCE): clocks of HR, hr-listener and provisioner differ by a little, and
   * holding an event for a few milliseconds buys nothing. So an event may apply up to this early.
   */
  @WithDefault("PT1S")
  Duration holdTolerance();

  /**
   * How long after the cut-off a leaver's users are deleted (ROSTER_RETENTION): an ISO-8601
   * duration ({@code P90D}, {@code PT3S}) or {@code none} to keep them for ever.
   */
  @WithDefault("P90D")
  String retention();

  Iam iam();

  Guard guard();

  Reconcile reconcile();

  Webhook webhook();

  /** How {@code POST /v1/preview} checks its callers: signed like HR's events to hr-listener. */
  interface Webhook {
    /**
     * HMAC-SHA256 secrets, comma-separated (ROSTER_WEBHOOK_SECRETS), the same as hr-listener's, so
     * that the HR system signs a preview as it signs an event. Unset: the preview is off (404).
     * Each must be at least 32 bytes.
     */
    Optional<List<String>> secrets();

    /**
     * How far a signature's timestamp may be from now before it is refused as a replay
     * (ROSTER_WEBHOOK_TOLERANCE).
     */
    @WithDefault("300s")
    Duration tolerance();
  }

  /** The drift check between snapshots. */
  interface Reconcile {
    /**
     * How often IAM is held against the HR state Roster last applied (ROSTER_RECONCILE_INTERVAL):
     * an ISO-8601 duration, or {@code none} to disable the check. The first check is one interval
     * after start-up.
     */
    @WithDefault("PT1H")
    String interval();

    /**
     * What the drift check corrects (ROSTER_RECONCILE_DRIFT): {@code repair}, every difference;
     * {@code report}, only a leaver's (a missing deny-all, an active credential), whatever else it
     * finds is reported.
     */
    @WithDefault("repair")
    Drift drift();

    enum Drift {
      repair,
      report
    }
  }

  Review review();

  /** The security review run (see README, Security review). */
  interface Review {
    /**
     * How often the review runs (ROSTER_REVIEW_INTERVAL): an ISO-8601 duration, or {@code none} for
     * on demand only. With several instances, one runs each turn (see README).
     */
    @WithDefault("PT24H")
    String interval();

    /** How long after start-up the first scheduled review runs (ROSTER_REVIEW_INITIAL_DELAY). */
    @WithDefault("PT2M")
    Duration initialDelay();

    /**
     * Bearer token of {@code POST /v1/reviews} (ROSTER_REVIEW_TOKEN); unset: the endpoint answers
     * 403 and reviews run on schedule only.
     */
    Optional<String> token();

    /** An active access key created longer ago than this is old (ROSTER_REVIEW_MAX_KEY_AGE). */
    @WithDefault("P90D")
    Duration maxKeyAge();

    /** An active access key unused this long is unused (ROSTER_REVIEW_UNUSED_AFTER). */
    @WithDefault("P45D")
    Duration unusedAfter();
  }

  /** The mass-change guard of reconciliations. */
  interface Guard {
    /**
     * An {@code apply} snapshot that would deactivate more employees than this is held until
     * approved (ROSTER_GUARD_MAX_DEACTIVATIONS). Unset: 10 % of the managed employees (those with
     * an active Roster user in an account read), at least 25.
     */
    java.util.OptionalInt maxDeactivations();
  }

  /** How IAM is reached. */
  interface Iam {
    /**
     * Endpoint for IAM and STS in every account, e.g. the IAM sandbox or LocalStack
     * (ROSTER_IAM_ENDPOINT); unset means AWS.
     */
    Optional<URI> endpoint();

    /** Region for STS and request signing (ROSTER_IAM_REGION); IAM itself is global. */
    @WithDefault("us-east-1")
    String region();

    /** Time limit of one IAM call attempt; a timeout is retried (ROSTER_IAM_CALL_TIMEOUT). */
    @WithDefault("PT10S")
    Duration callTimeout();

    /** Session name recorded in CloudTrail when assuming a role (ROSTER_IAM_SESSION_NAME). */
    @WithDefault("roster-provisioner")
    String sessionName();

    /**
     * Threads shared by all events in flight for a user's independent reads once GetUser found it
     * (a leave reads ten things per account): one round trip instead of ten. 0 reads one after
     * another. Each thread has at most one call in flight, so this also caps concurrent reads.
     */
    @WithDefault("64")
    int readThreads();

    /**
     * Threads shared by all events in flight that read and apply the accounts of an event in
     * parallel (ROSTER_IAM_ACCOUNT_THREADS); an event's last account runs on its own thread, so
     * {@code max-in-flight} × (accounts − 1) keeps every account of every event in flight at once.
     * The same number of threads runs the calls of cleanup tiers beside each account's own thread.
     * Each thread costs memory (its stack, native buffers): the default fits 64 events and the 512
     * MiB container.
     */
    @WithDefault("64")
    int accountThreads();

    /**
     * IAM operations at once per account (ROSTER_IAM_CALLS_PER_ACCOUNT; an operation is one gateway
     * step: a read of the user's groups and policies, one write): cut-off operations (the cut-off's
     * GetUser, every deny-all) take a free one before any other, and each cut-off under way in an
     * account keeps one there for its next call (another operation starts only while more are free
     * than cut-offs are under way). So where they run short (a burst, throttling) every leaver's
     * deny-all goes before anyone's cleanup, hire or full read in that account, and where they do
     * not, nothing waits for cut-offs it does not compete with; accounts are independent. User
     * look-ups (the index) and the health ping are not counted. The default matches {@code
     * max-in-flight} (as many as there can be cut-offs at once), so throttled calls backing off
     * (they keep their permit) still leave enough attempts to use IAM's whole rate.
     */
    @WithDefault("64")
    int callsPerAccount();

    /**
     * Calls at once on one user while a cut-off is cleaned up, after the deny-all
     * (ROSTER_IAM_WRITES_PER_USER): the independent calls of a tier (e.g. the access keys and the
     * console password) go together; IAM answers ConcurrentModification to too many writes on one
     * user. 1 makes them one after another. (The same number of threads, {@code account-threads},
     * runs these calls for all users.)
     */
    @WithDefault("4")
    int writesPerUser();

    /**
     * Name of the customer managed policy set as permissions boundary on every user Roster creates,
     * e.g. {@code roster-user-boundary} (ROSTER_IAM_USER_PERMISSIONS_BOUNDARY): the shipped
     * deploy/aws policy allows CreateUser only with it. Unset creates users without a boundary.
     */
    Optional<String> userPermissionsBoundary();

    /**
     * How long an IAM call answered with throttling (Throttling, ThrottlingException,
     * RequestLimitExceeded, HTTP 429/503) keeps being retried, counted as the backoff slept between
     * its throttled attempts (ROSTER_IAM_THROTTLE_BUDGET). Throttled attempts do not count against
     * {@code retry.max-attempts}: a busy IAM is waited out rather than failing the event.
     */
    @WithDefault("PT2M")
    Duration throttleBudget();

    /**
     * How long an IAM call that gets no connection or no answer in time keeps being retried,
     * counted as the backoff slept between those attempts (ROSTER_IAM_UNREACHABLE_BUDGET). Such
     * attempts do not count against {@code retry.max-attempts}: a network outage of a few minutes
     * is waited out, so a leave's deny-all still lands when IAM is back; past it the account fails
     * (and the drift check tries again).
     */
    @WithDefault("PT5M")
    Duration unreachableBudget();

    Retry retry();
  }

  /** Retries of throttling and transient IAM failures: exponential backoff with full jitter. */
  interface Retry {
    /**
     * Attempts per IAM call that fail with a transient error other than throttling, the first
     * included (ROSTER_IAM_RETRY_MAX_ATTEMPTS); throttling has {@code throttle-budget}.
     */
    @WithDefault("8")
    int maxAttempts();

    /** Upper bound of the first backoff (ROSTER_IAM_RETRY_INITIAL_BACKOFF). */
    @WithDefault("PT0.1S")
    Duration initialBackoff();

    /** Cap of any backoff (ROSTER_IAM_RETRY_MAX_BACKOFF). */
    @WithDefault("PT5S")
    Duration maxBackoff();
  }
}
