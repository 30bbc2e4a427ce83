package dev.roster.sandbox.iam;

import dev.roster.sandbox.iam.action.Actions;
import dev.roster.sandbox.iam.action.Call;
import dev.roster.sandbox.iam.action.Caller;
import dev.roster.sandbox.iam.action.Handler;
import dev.roster.sandbox.iam.action.Store;
import dev.roster.sandbox.iam.authz.RequestAuthorizer;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.Session;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Serves one Query request: picks the account from the signing key, counts the call, applies
 * faults, runs the action under the account's lock and renders IAM's XML.
 */
final class IamEngine {
  private static final System.Logger LOG = System.getLogger(IamEngine.class.getName());
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  private final Store store;
  private final Faults faults;
  private final CallCounters counters;
  private final RequestAuthorizer authorizer;
  private final Mutations mutations;

  IamEngine(
      Store store,
      Faults faults,
      CallCounters counters,
      RequestAuthorizer authorizer,
      Mutations mutations) {
    this.store = store;
    this.faults = faults;
    this.counters = counters;
    this.authorizer = authorizer;
    this.mutations = mutations;
  }

  /** An HTTP answer: status, XML body and the request id IAM also sends as a header. */
  record Response(int status, String body, String requestId) {}

  /**
   * Serves one request and hands the answer to {@code reply}: at once, or — under a latency fault —
   * from {@code later} once the delay is over, so no thread waits out the delay. The action runs
   * when the delay is over, so a delayed call takes effect when it is answered, as it would if IAM
   * were slow.
   */
  void handle(
      Map<String, String> form,
      String accessKeyId,
      Later later,
      java.util.function.Consumer<Response> reply) {
    String requestId = UUID.randomUUID().toString();
    Params params = new Params(form);
    String action = params.action();
    boolean sts =
        Actions.STS_VERSION.equals(params.version())
            || (action != null && Actions.sts(action) != null);
    String namespace = sts ? Actions.STS_NAMESPACE : Actions.IAM_NAMESPACE;
    Caller caller;
    try {
      caller = caller(accessKeyId);
      counters.record(caller.accountId(), action == null ? "" : action);
      if (action == null) {
        throw new IamException("MissingAction", 400, true, "Missing Action");
      }
    } catch (IamException e) {
      reply.accept(new Response(e.status(), error(namespace, e, requestId), requestId));
      return;
    }
    long delay = faults.delayMillis(caller.accountId(), action);
    if (delay > 0) {
      later.run(delay, () -> reply.accept(serve(params, action, sts, caller, requestId)));
    } else {
      reply.accept(serve(params, action, sts, caller, requestId));
    }
  }

  /** Runs work after a delay without holding a thread meanwhile. */
  interface Later {
    void run(long delayMillis, Runnable work);
  }

  private Response serve(
      Params params, String action, boolean sts, Caller caller, String requestId) {
    String namespace = sts ? Actions.STS_NAMESPACE : Actions.IAM_NAMESPACE;
    try {
      faults.check(caller.accountId(), action);
      Handler handler = sts ? Actions.sts(action) : Actions.iam(action);
      if (handler == null) {
        throw new IamException(
            "InvalidAction",
            400,
            true,
            "Could not find operation "
                + action
                + " for version "
                + (params.version() == null ? Actions.IAM_VERSION : params.version()));
      }
      Xml result = new Xml();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      if (sts) {
        Call call = new Call(action, params, caller, null, store, now);
        authorizer.authorize(call);
        handler.handle(call, result);
        if (!Actions.readOnly(action)) {
          mutations.mutated(action, params, null);
        }
      } else {
        Account account = store.account(caller.accountId());
        account.lock.lock();
        try {
          Call call = new Call(action, params, caller, account, store, now);
          // Like IAM: authorised before anything is looked up or changed.
          authorizer.authorize(call);
          handler.handle(call, result);
          if (!Actions.readOnly(action)) {
            // Under the account's lock, so what is recorded is this call's result.
            mutations.mutated(action, params, account);
          }
        } finally {
          account.lock.unlock();
        }
      }
      return new Response(200, success(namespace, action, result, requestId), requestId);
    } catch (IamException e) {
      return new Response(e.status(), error(namespace, e, requestId), requestId);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "IAM sandbox failed on " + action, e);
      IamException failure = IamException.serviceFailure();
      return new Response(failure.status(), error(namespace, failure, requestId), requestId);
    }
  }

  /** Told of every successful mutating call (an IAM one while its account is still locked). */
  interface Mutations {
    void mutated(String action, Params params, Account account);
  }

  /** The account a signing key acts in (see {@link #caller}). */
  String accountOf(String accessKeyId) {
    return caller(accessKeyId).accountId();
  }

  /** LocalStack's convention: a 12-digit key is that account, an STS key its role's account. */
  private Caller caller(String accessKeyId) {
    if (accessKeyId == null) {
      return new Caller(null, Store.DEFAULT_ACCOUNT, null);
    }
    if (ACCOUNT_ID.matcher(accessKeyId).matches()) {
      return new Caller(accessKeyId, accessKeyId, null);
    }
    Session session = store.session(accessKeyId);
    if (session != null) {
      if (session.expiration.isBefore(Instant.now())) {
        throw new IamException(
            "ExpiredToken", 400, true, "The security token included in the request is expired");
      }
      return new Caller(accessKeyId, session.accountId, session);
    }
    return new Caller(accessKeyId, Store.DEFAULT_ACCOUNT, null);
  }

  private static String success(String namespace, String action, Xml result, String requestId) {
    Xml x = new Xml();
    x.raw("<" + action + "Response xmlns=\"" + namespace + "\">");
    if (!result.isEmpty()) {
      x.start(action + "Result").raw(result.toString()).end(action + "Result");
    }
    x.start("ResponseMetadata").el("RequestId", requestId).end("ResponseMetadata");
    x.end(action + "Response");
    return x.toString();
  }

  static String error(String namespace, IamException e, String requestId) {
    Xml x = new Xml();
    x.raw("<ErrorResponse xmlns=\"" + namespace + "\">");
    x.start("Error")
        .el("Type", e.senderFault() ? "Sender" : "Receiver")
        .el("Code", e.code())
        .el("Message", e.getMessage())
        .end("Error");
    x.el("RequestId", requestId);
    x.end("ErrorResponse");
    return x.toString();
  }
}
