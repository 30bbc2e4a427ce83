package dev.roster.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The binary-mode attributes of one CloudEvent as Kafka header names and UTF-8 values, in the order
 * they are written. Every service writes its headers through here, so that each attribute has one
 * encoding; no Kafka types, so the contract module stays free of the client.
 */
public final class CloudEventHeaders {

  private CloudEventHeaders() {}

  /**
   * {@code ce_specversion}, {@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_time},
   * {@code ce_subject} and {@code content-type} (JSON) of an event.
   */
  public static Map<String, byte[]> of(
      String id, String type, String source, OffsetDateTime time, String subject) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    put(headers, CloudEvents.HEADER_SPEC_VERSION, CloudEvents.SPEC_VERSION);
    put(headers, CloudEvents.HEADER_ID, id);
    put(headers, CloudEvents.HEADER_TYPE, type);
    put(headers, CloudEvents.HEADER_SOURCE, source);
    put(headers, CloudEvents.HEADER_TIME, time(time));
    put(headers, CloudEvents.HEADER_SUBJECT, subject);
    put(headers, CloudEvents.HEADER_CONTENT_TYPE, CloudEvents.CONTENT_TYPE_JSON);
    return Collections.unmodifiableMap(headers);
  }

  /**
   * {@code ce_time}: RFC 3339 with seconds always present. {@link OffsetDateTime#toString} drops
   * {@code :00} seconds ({@code 09:00Z}), which RFC 3339 readers refuse; an offset with seconds,
   * which RFC 3339 cannot express, is written as the same instant in UTC.
   */
  public static String time(OffsetDateTime time) {
    Objects.requireNonNull(time, CloudEvents.HEADER_TIME);
    OffsetDateTime t =
        time.getOffset().getTotalSeconds() % 60 == 0
            ? time
            : time.withOffsetSameInstant(ZoneOffset.UTC);
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
  }

  static void put(Map<String, byte[]> headers, String name, String value) {
    Objects.requireNonNull(value, name);
    headers.put(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
