package dev.roster.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The JSON Schema (draft 2020-12) of {@link HrEvent}, shipped in this jar. */
public final class EventSchema {
  /** Class-path location of the schema. */
  public static final String RESOURCE = "dev/roster/events/hr-event.schema.json";

  public static final String MEDIA_TYPE = "application/schema+json";

  private static final byte[] BYTES = load();

  private EventSchema() {}

  /** The schema document (a copy). */
  public static byte[] bytes() {
    return BYTES.clone();
  }

  private static byte[] load() {
    try (InputStream in = EventSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
