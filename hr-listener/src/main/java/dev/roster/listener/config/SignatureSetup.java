package dev.roster.listener.config;

import dev.roster.listener.signature.WebhookSignature;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Builds the signature checker at startup, so that a blank secret stops the service at once. */
public class SignatureSetup {

  @Produces
  @Singleton
  @Startup
  WebhookSignature webhookSignature(ListenerConfig config) {
    return new WebhookSignature(
        config.webhook().secrets(), config.webhook().tolerance(), Clock.systemUTC());
  }
}
