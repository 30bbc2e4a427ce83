package dev.roster.provisioner.schedule;

import dev.roster.events.Outcome;

/**
 * An event the schedule ended without applying it (cancelled, superseded by a leave) or a cancel it
 * carried out: remembered so that a redelivery of the same record repeats the same outcome instead
 * of applying the event after all.
 */
public record Closed(String eventId, Outcome outcome, String reason) {}
