package dev.roster.sandbox.iam.action;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The registry of implemented actions, by protocol. */
public final class Actions {
  public static final String IAM_VERSION = "2010-05-08";
  public static final String STS_VERSION = "2011-06-15";
  public static final String IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
  public static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private static final Map<String, Handler> IAM = new HashMap<>();
  private static final Map<String, Handler> STS = new HashMap<>();

  static {
    UserActions.register(IAM);
    GroupActions.register(IAM);
    CredentialActions.register(IAM);
    KeyActions.register(IAM);
    MfaActions.register(IAM);
    PolicyActions.register(IAM);
    AuthorizationActions.register(IAM);
    StsActions.register(STS);
  }

  private Actions() {}

  public static Handler iam(String action) {
    return IAM.get(action);
  }

  public static Handler sts(String action) {
    return STS.get(action);
  }

  public static Set<String> iamActions() {
    return Set.copyOf(IAM.keySet());
  }

  public static Set<String> stsActions() {
    return Set.copyOf(STS.keySet());
  }

  /** Whether the action only reads state (so it need not trigger a state save). */
  public static boolean readOnly(String action) {
    return action.startsWith("Get") || action.startsWith("List") || action.startsWith("Simulate");
  }
}
