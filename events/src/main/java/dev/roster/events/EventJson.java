package dev.roster.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration of the contract: strict on input, ISO-8601 timestamps on output. */
public final class EventJson {
  private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

  private EventJson() {}

  /** A shared, thread-safe mapper with the contract's settings. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Applies the contract's settings to a mapper (e.g. the one Quarkus produces). */
  public static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new JavaTimeModule())
        // A typo must not silently drop data.
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        // Keep the offset HR sent instead of normalising to UTC.
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }
}
