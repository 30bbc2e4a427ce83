package dev.roster.listener.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.events.FieldError;
import java.util.List;

/**
 * One data row of a snapshot as read: its 1-based number, its fields as JSON (what {@link
 * dev.roster.events.EventValidator#snapshotEmployee} checks), and what made it unreadable (e.g. a
 * CSV row with too few cells), pointers relative to the row; with such errors the fields are not
 * checked.
 */
public record Row(int number, JsonNode fields, List<FieldError> errors) {
  public Row {
    errors = List.copyOf(errors);
  }
}
