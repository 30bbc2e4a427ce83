package dev.roster.provisioner.health;

import dev.roster.provisioner.config.RoleMapping;
import dev.roster.provisioner.iam.IamGateway;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when IAM answers in every mapped account with the configured credentials. */
@Readiness
@ApplicationScoped
public class IamHealthCheck implements HealthCheck {
  private final RoleMapping mapping;
  private final IamGateway iam;

  public IamHealthCheck(RoleMapping mapping, IamGateway iam) {
    this.mapping = mapping;
    this.iam = iam;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("iam").up();
    for (RoleMapping.Account account : mapping.accounts().values()) {
      String key = account.name() + " (" + account.id() + ")";
      try {
        iam.ping(account.name());
        response.withData(key, "reachable");
      } catch (RuntimeException e) {
        response.down().withData(key, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    return response.build();
  }
}
