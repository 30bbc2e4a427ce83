package dev.roster.events;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * What a date-only {@code effectiveAt} means: the start of that day for a hire or role change, the
 * end of that day (23:59:59) for a leave, in the employee's zone.
 *
 * <p>Daylight saving: the start of a day is its first valid instant ({@link
 * LocalDate#atStartOfDay(ZoneId)}: where midnight falls in a gap, the first moment after it); the
 * end of a day in an overlap is the earlier of the two instants, because in doubt a leaver is cut
 * off sooner, never later.
 */
public final class EffectiveDates {

  /** The last second of a leaver's last day. */
  public static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private EffectiveDates() {}

  /** The instant a date-only {@code effectiveAt} stands for, with the zone's offset then. */
  public static OffsetDateTime resolve(LocalDate date, EventType type, ZoneId zone) {
    return (type == EventType.LEAVE
            ? date.atTime(END_OF_DAY).atZone(zone)
            : date.atStartOfDay(zone))
        .toOffsetDateTime();
  }

  /**
   * Whether {@code name} is an IANA time zone name the JDK knows (e.g. {@code Pacific/Kiritimati}).
   */
  public static boolean isZoneName(String name) {
    return name != null && ZONES.contains(name);
  }
}
