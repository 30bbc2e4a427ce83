package dev.roster.local;

/** The parts of a local Roster stack, in start order, with their default ports. */
public enum Component {
  KAFKA("kafka", 9092, false),
  POSTGRES("postgres", 5433, false),
  IAM("iam-sandbox", 8083, false),
  HR_LISTENER("hr-listener", 8080, true),
  PROVISIONER("provisioner", 8081, true),
  AUDITOR("auditor", 8082, true);

  private final String displayName;
  private final int defaultPort;
  private final boolean service;

  Component(String displayName, int defaultPort, boolean service) {
    this.displayName = displayName;
    this.defaultPort = defaultPort;
    this.service = service;
  }

  /** Name in logs and messages; for services also their module directory. */
  public String displayName() {
    return displayName;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** One of Roster's three Quarkus services (a packaged jar run as a process). */
  public boolean isService() {
    return service;
  }
}
