package dev.roster.listener.config;

import dev.roster.events.EffectiveDates;
import java.time.ZoneId;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code roster.default-time-zone}: only an IANA zone name (e.g. {@code Europe/Berlin}). A
 * fixed offset such as {@code +02:00} is refused because it knows no daylight saving time, so a
 * date-only leave would end an hour off for half of the year; the service then refuses to start.
 */
public class IanaZoneConverter implements Converter<ZoneId> {

  @Override
  public ZoneId convert(String value) {
    String name = value == null ? null : value.trim();
    if (!EffectiveDates.isZoneName(name)) {
      throw new IllegalArgumentException(
          "must be an IANA time zone name, e.g. Europe/Berlin or UTC, got '" + value + "'");
    }
    return ZoneId.of(name);
  }
}
