package dev.roster.provisioner.schedule;

import java.time.Instant;

/**
 * One thing waiting for its moment for one employee: a held HR event (its consumed JSON, applied at
 * {@code dueAt} exactly as if it had just arrived), or a leaver's retention deadline (the users are
 * deleted then).
 *
 * @param id the held event's id, or {@code <leave event id>:retention}
 * @param seq the {@code hr.events} offset of the record that posted it (same partition for one
 *     employee): what "posted before" means when a leave supersedes held hires and role changes
 * @param type the held event's type wire name ({@code retention} for a retention deadline)
 * @param value the held event's JSON as consumed; for a retention, the leave's event id
 */
public record Pending(String id, Kind kind, Instant dueAt, long seq, String type, String value) {

  public enum Kind {
    EVENT,
    RETENTION
  }

  /** The suffix of a retention deadline's id, after the leave's event id. */
  public static final String RETENTION_SUFFIX = ":retention";

  public static Pending retention(String leaveEventId, Instant dueAt, long seq) {
    return new Pending(
        leaveEventId + RETENTION_SUFFIX, Kind.RETENTION, dueAt, seq, "retention", leaveEventId);
  }
}
