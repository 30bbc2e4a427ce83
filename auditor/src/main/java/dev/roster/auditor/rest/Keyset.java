package dev.roster.auditor.rest;

import dev.roster.auditor.query.Views.Page;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Keyset pagination (newest first, by {@code seq}) shared by the list endpoints: a JSON page, and a
 * CSV stream that walks the same query in chunks so an export never sits in memory whole.
 */
final class Keyset {
  private Keyset() {}

  /** Rows with {@code seq} below {@code before} (all when null), newest first, at most size. */
  interface Fetch<T> {
    List<T> rows(Long before, int size);
  }

  /** Writes one item as a CSV line. */
  interface CsvRow<T> {
    void write(Writer w, T item) throws IOException;
  }

  /** One page; fetching {@code limit + 1} tells whether there is a next one. */
  static <T> Page<T> page(Fetch<T> fetch, ToLongFunction<T> seq, int limit, Long cursor) {
    List<T> rows = fetch.rows(cursor, limit + 1);
    List<T> items = rows.size() > limit ? rows.subList(0, limit) : rows;
    String next =
        rows.size() > limit ? Params.encodeCursor(seq.applyAsLong(items.get(limit - 1))) : null;
    return new Page<>(List.copyOf(items), next);
  }

  /**
   * Up to {@code max} rows from {@code start} as CSV, {@code chunk} rows per short transaction (a
   * long export must not hold one transaction open).
   */
  static <T> StreamingOutput csv(
      Fetch<T> fetch,
      ToLongFunction<T> seq,
      long max,
      Long start,
      int chunk,
      Object[] header,
      CsvRow<T> row) {
    return out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      Csv.line(w, header);
      Long cursor = start;
      long written = 0;
      while (written < max) {
        int size = (int) Math.min(chunk, max - written);
        Long before = cursor;
        List<T> rows = QuarkusTransaction.requiringNew().call(() -> fetch.rows(before, size));
        for (T item : rows) {
          row.write(w, item);
        }
        written += rows.size();
        if (rows.size() < size) {
          break;
        }
        cursor = seq.applyAsLong(rows.get(rows.size() - 1));
      }
      w.flush();
    };
  }
}
