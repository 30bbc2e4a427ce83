package dev.roster.sandbox.iam.protocol;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A minimal streaming XML writer for Query protocol responses; escapes all text. */
public final class Xml {
  private final StringBuilder out = new StringBuilder(512);

  public Xml start(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  public Xml end(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /**
   * Writes {@code <name>value</name>}; writes nothing for a null value, as IAM omits absent fields.
   */
  public Xml el(String name, Object value) {
    if (value == null) {
      return this;
    }
    String text =
        value instanceof Instant instant
            ? instant.truncatedTo(ChronoUnit.SECONDS).toString()
            : String.valueOf(value);
    start(name);
    escape(text);
    return end(name);
  }

  /** Escaped character data, e.g. a string list member. */
  public Xml text(String value) {
    escape(value);
    return this;
  }

  public Xml raw(String xml) {
    out.append(xml);
    return this;
  }

  public boolean isEmpty() {
    return out.length() == 0;
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '\r' -> out.append("&#13;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
