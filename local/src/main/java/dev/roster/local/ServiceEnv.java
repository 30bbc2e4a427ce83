package dev.roster.local;

import dev.roster.sandbox.postgres.EmbeddedPostgresServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment each service gets on one machine: the one place that knows which variables wire
 * the services to Kafka, PostgreSQL, IAM and their secrets (the names are those of the
 * configuration reference in deploy/README.md).
 */
final class ServiceEnv {
  /** Local only: the embedded server trusts local connections, so any password does. */
  static final String LOCAL_PASSWORD = "roster-local";

  private ServiceEnv() {}

  static Map<String, String> of(Component service, Stack stack) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    // Read by every Kafka client of the service (the connector's and its own): KAFKA_X_Y is
    // kafka.x.y, passed in the environment so that no password shows in the process list.
    stack
        .kafkaClientProperties(service)
        .forEach((k, v) -> env.put("KAFKA_" + k.toUpperCase().replace('.', '_'), v));
    switch (service) {
      case HR_LISTENER -> env.put("ROSTER_WEBHOOK_SECRETS", stack.webhookSecret());
      case PROVISIONER -> {
        env.put("ROSTER_ROLES_FILE", stack.roles().path().toAbsolutePath().toString());
        env.put("ROSTER_REVIEW_TOKEN", stack.reviewToken());
        // POST /v1/preview is signed like an event to hr-listener.
        env.put("ROSTER_WEBHOOK_SECRETS", stack.webhookSecret());
        if (!stack.usesRealAws()) {
          env.put("ROSTER_IAM_ENDPOINT", stack.url(Component.IAM));
          // Sandbox and LocalStack convention: a 12-digit access key id selects the account.
          env.put("AWS_ACCESS_KEY_ID", stack.roles().homeAccountId());
          env.put("AWS_SECRET_ACCESS_KEY", LOCAL_PASSWORD);
          env.put("AWS_REGION", "us-east-1");
          if (stack.provisionerSessionKey() != null) {
            // Held to deploy/aws's policies: a session of the home role, as a pod through IRSA,
            // creating users with the boundary the policy requires (as deploy/k8s sets it).
            env.put("AWS_ACCESS_KEY_ID", stack.provisionerSessionKey());
            env.put("AWS_SESSION_TOKEN", LOCAL_PASSWORD);
            env.put("ROSTER_IAM_USER_PERMISSIONS_BOUNDARY", IamEnforcement.USER_BOUNDARY);
          }
        }
      }
      case AUDITOR -> {
        env.put("ROSTER_AUDITOR_DB_URL", stack.jdbcUrl());
        // Migrations as the owner (the superuser), the service as a role that can only append.
        env.put("QUARKUS_FLYWAY_USERNAME", EmbeddedPostgresServer.SUPERUSER);
        env.put("QUARKUS_FLYWAY_PASSWORD", LOCAL_PASSWORD);
        env.put("ROSTER_AUDITOR_DB_USER", stack.auditorDbUser());
        env.put("ROSTER_AUDITOR_DB_PASSWORD", LOCAL_PASSWORD);
        env.put("ROSTER_AUDITOR_PASSWORD", stack.auditorPassword());
      }
      default -> throw new IllegalArgumentException(service + " is not a service");
    }
    return env;
  }
}
