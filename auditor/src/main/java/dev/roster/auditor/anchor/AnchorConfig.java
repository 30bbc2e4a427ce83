package dev.roster.auditor.anchor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The external anchor of the hash chain ({@code roster.audit.*}). */
@ConfigMapping(prefix = "roster.audit")
public interface AnchorConfig {
  /**
   * How often the chain head is signed and published to {@code audit.anchors} (and on shutdown).
   */
  @WithDefault("PT1M")
  Duration anchorInterval();

  /**
   * The Ed25519 private key (PKCS#8 PEM, as {@code openssl genpkey -algorithm ed25519} writes it),
   * held outside the database. Unset: a key generated once under the temp directory (dev and the
   * local stack only; a warning says so).
   */
  Optional<Path> anchorKeyFile();

  /** Generate the key at {@code anchor-key-file} when that file does not exist yet. */
  @WithDefault("false")
  boolean anchorKeyGenerate();
}
