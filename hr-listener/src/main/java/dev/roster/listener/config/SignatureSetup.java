package dev.roster.listener.config;

import dev.roster.events.SecretStrength;
import dev.roster.events.WebhookSignature;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Builds the signature checker at startup, so that a blank or short secret stops the service at
 * once.
 */
public class SignatureSetup {
  /** The key every secret-strength refusal names. */
  public static final String SECRETS_KEY = "roster.webhook.secrets";

  private static final Logger LOG = Logger.getLogger(SignatureSetup.class);

  @Produces
  @Singleton
  @Startup
  WebhookSignature webhookSignature(ListenerConfig config) {
    try {
      SecretStrength.check(SECRETS_KEY, config.webhook().secrets());
    } catch (IllegalStateException e) {
      // The message names the key and the position, never the secret.
      LOG.error(e.getMessage());
      throw e;
    }
    return new WebhookSignature(
        config.webhook().secrets(), config.webhook().tolerance(), Clock.systemUTC());
  }
}
