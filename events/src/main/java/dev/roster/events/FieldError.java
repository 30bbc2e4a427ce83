package dev.roster.events;

/**
 * One reason an event is invalid: where (an RFC 6901 JSON pointer into the posted document, {@code
 * ""} for the document itself) and why.
 */
public record FieldError(String pointer, String reason) {

  /** The same error seen from an enclosing document, e.g. item 3 of a batch: {@code /3/type}. */
  public FieldError under(String prefix) {
    return new FieldError(prefix + pointer, reason);
  }

  /** Escapes one reference token ({@code ~} and {@code /}) as RFC 6901 requires. */
  public static String token(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
