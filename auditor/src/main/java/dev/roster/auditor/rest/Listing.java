package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.Views.Page;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.function.ToLongFunction;

/**
 * One keyset listing (newest first by seq) answered as a JSON page or a streamed CSV download, the
 * same way for every list endpoint: CSV for {@code format=csv} or {@code Accept: text/csv}, with
 * {@code Content-Disposition: attachment; filename="<name>.csv"}; at most {@code limit} rows when
 * given, else every match from the cursor on. The caller parses its filters before building the
 * fetch, so a bad filter is a 400 before anything is streamed.
 */
final class Listing<T> {
  private final String filename;
  private final Object[] header;
  private final ToLongFunction<T> seq;
  private final Keyset.CsvRow<T> row;
  private final AuditorConfig config;

  Listing(
      String name,
      Object[] header,
      ToLongFunction<T> seq,
      Keyset.CsvRow<T> row,
      AuditorConfig config) {
    this.filename = name + ".csv";
    this.header = header;
    this.seq = seq;
    this.row = row;
    this.config = config;
  }

  Response respond(PageParams p, HttpHeaders headers, Keyset.Fetch<T> fetch) {
    if (Csv.wanted(headers, p.format)) {
      return Response.ok(csv(p, fetch), Csv.MEDIA_TYPE)
          .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
          .build();
    }
    return Response.ok(page(p, fetch), MediaType.APPLICATION_JSON).build();
  }

  Page<T> page(PageParams p, Keyset.Fetch<T> fetch) {
    int limit = Params.limit(p.limit, config.query().defaultLimit());
    return Keyset.page(fetch, seq, limit, Params.cursor(p.cursor));
  }

  StreamingOutput csv(PageParams p, Keyset.Fetch<T> fetch) {
    long max = p.limit == null ? Long.MAX_VALUE : Params.limit(p.limit, 1);
    return Keyset.csv(
        fetch, seq, max, Params.cursor(p.cursor), config.query().csvChunk(), header, row);
  }
}
