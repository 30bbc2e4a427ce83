package dev.roster.auditor.console;

import io.quarkus.qute.TemplateGlobal;
import org.eclipse.microprofile.config.ConfigProvider;

/** Values every console page may use. */
@TemplateGlobal
public final class ConsoleGlobals {
  private ConsoleGlobals() {}

  /** The OIDC logout path (the {@code oidc} profile), or null: Basic has no logout. */
  static String logoutPath() {
    return ConfigProvider.getConfig()
        .getOptionalValue("quarkus.oidc.logout.path", String.class)
        .orElse(null);
  }
}
