package dev.roster.events;

import java.util.List;

/**
 * The outcome of validating one event: either the event (with defaults applied) or every error
 * found, never both.
 */
public record Validation(HrEvent event, List<FieldError> errors) {

  public Validation {
    errors = List.copyOf(errors);
    if ((event == null) == errors.isEmpty()) {
      throw new IllegalArgumentException("either an event or errors");
    }
  }

  public static Validation valid(HrEvent event) {
    return new Validation(event, List.of());
  }

  public static Validation invalid(List<FieldError> errors) {
    return new Validation(null, errors);
  }

  public boolean isValid() {
    return event != null;
  }
}
