package dev.roster.listener.snapshot;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads a snapshot body one row at a time, holding one row in memory. What makes the whole body
 * unreadable (not JSON, a broken CSV quote, a missing CSV column) is thrown as a {@link
 * dev.roster.listener.Rejection}.
 */
public interface RowReader extends Closeable {
  /** The next row, or null after the last. */
  Row next() throws IOException;

  /** A source of readers over the same body: each pass over a spooled body opens a new one. */
  @FunctionalInterface
  interface Source {
    RowReader open() throws IOException;
  }
}
