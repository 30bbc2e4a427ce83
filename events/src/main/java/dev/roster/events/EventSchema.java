package dev.roster.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The JSON Schemas (draft 2020-12) shipped in this jar: {@link HrEvent} and {@link
 * ProvisioningOutcome}.
 */
public final class EventSchema {
  /** Class-path location of the schema. */
  public static final String RESOURCE = "dev/roster/events/hr-event.schema.json";

  /** Class-path location of the schema of {@link ProvisioningOutcome}. */
  public static final String OUTCOME_RESOURCE =
      "dev/roster/events/provisioning-outcome.schema.json";

  public static final String MEDIA_TYPE = "application/schema+json";

  private static final byte[] BYTES = load(RESOURCE);
  private static final byte[] OUTCOME_BYTES = load(OUTCOME_RESOURCE);

  private EventSchema() {}

  /** The schema document (a copy). */
  public static byte[] bytes() {
    return BYTES.clone();
  }

  /** The outcome schema document (a copy). */
  public static byte[] outcomeBytes() {
    return OUTCOME_BYTES.clone();
  }

  private static byte[] load(String resource) {
    try (InputStream in = EventSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
