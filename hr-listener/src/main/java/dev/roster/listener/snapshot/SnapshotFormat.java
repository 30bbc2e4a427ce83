package dev.roster.listener.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/** The two ways a snapshot may be posted, by {@code Content-Type}. */
public enum SnapshotFormat {
  JSON("application/json"),
  CSV("text/csv");

  private final String mediaType;

  SnapshotFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /**
   * The format of a {@code Content-Type} such as {@code text/csv; charset=utf-8}; empty for any
   * other type, or a charset other than UTF-8.
   */
  public static Optional<SnapshotFormat> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String[] parts = contentType.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].split("=", 2);
      if (param[0].trim().equalsIgnoreCase("charset")) {
        String charset = param.length < 2 ? "" : param[1].trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8")) {
          return Optional.empty();
        }
      }
    }
    for (SnapshotFormat format : values()) {
      if (format.mediaType.equals(type)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /** A reader of a body in this format; the body is closed if the reader cannot start. */
  public RowReader open(InputStream body) throws IOException {
    try {
      return switch (this) {
        case JSON -> new JsonRows(body);
        case CSV -> new CsvRows(body);
      };
    } catch (IOException | RuntimeException e) {
      body.close();
      throw e;
    }
  }
}
