package dev.roster.auditor.rest;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.AuditEntry;
import dev.roster.auditor.query.AuditQueries;
import dev.roster.auditor.query.Filters.ChangeFilter;
import dev.roster.auditor.query.Views;
import dev.roster.auditor.query.Views.Change;
import dev.roster.auditor.query.Views.Page;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code GET /v1/changes}: every IAM change, newest first, as JSON pages or streamed CSV. */
@Path("/v1/changes")
@RolesAllowed("auditor")
public class ChangesResource {
  private final AuditQueries queries;
  private final AuditorConfig config;

  public ChangesResource(AuditQueries queries, AuditorConfig config) {
    this.queries = queries;
    this.config = config;
  }

  /** The query parameters of the listing. */
  public static class ChangeParams {
    @QueryParam("employeeId")
    String employeeId;

    @QueryParam("eventId")
    String eventId;

    @QueryParam("account")
    String account;

    @QueryParam("action")
    String action;

    @QueryParam("status")
    String status;

    @QueryParam("from")
    String from;

    @QueryParam("to")
    String to;

    @QueryParam("limit")
    String limit;

    @QueryParam("cursor")
    String cursor;

    ChangeFilter filter() {
      var fromAt = Params.timestamp("from", from);
      var toAt = Params.timestamp("to", to);
      Params.range(fromAt, toAt);
      return new ChangeFilter(
          Params.text("employeeId", employeeId),
          Params.text("eventId", eventId),
          Params.text("account", account),
          Params.text("action", action),
          Params.status(status),
          fromAt,
          toAt);
    }
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  @Operation(summary = "IAM changes, newest first, keyset-paginated (limit <= 1000)")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.ChangePage.class)),
        @Content(mediaType = Csv.MEDIA_TYPE)
      })
  public Response list(@BeanParam ChangeParams p, @Context HttpHeaders headers) {
    if (Csv.wanted(headers)) {
      return Response.ok(csv(p), Csv.MEDIA_TYPE).build();
    }
    return Response.ok(page(p), MediaType.APPLICATION_JSON).build();
  }

  Page<Change> page(ChangeParams p) {
    ChangeFilter filter = p.filter();
    int limit = Params.limit(p.limit, config.query().defaultLimit());
    Long cursor = Params.cursor(p.cursor);
    List<AuditEntry> rows = queries.changes(filter, cursor, limit + 1);
    boolean more = rows.size() > limit;
    List<Change> items = rows.stream().limit(limit).map(Change::of).toList();
    String next = more ? Params.encodeCursor(items.get(items.size() - 1).seq()) : null;
    return new Page<>(items, next);
  }

  StreamingOutput csv(ChangeParams p) {
    ChangeFilter filter = p.filter();
    long max = p.limit == null ? Long.MAX_VALUE : Params.limit(p.limit, 1);
    Long start = Params.cursor(p.cursor);
    int chunk = config.query().csvChunk();
    return out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      Csv.line(w, CHANGE_HEADER);
      Long cursor = start;
      long written = 0;
      while (written < max) {
        int size = (int) Math.min(chunk, max - written);
        Long before = cursor;
        List<Change> rows =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> queries.changes(filter, before, size).stream().map(Change::of).toList());
        for (Change c : rows) {
          Csv.line(
              w,
              c.seq(),
              c.changeId(),
              c.eventId(),
              c.employeeId(),
              c.account(),
              c.action(),
              c.userName(),
              c.target(),
              c.status(),
              c.error(),
              c.awsRequestId(),
              c.at());
        }
        written += rows.size();
        if (rows.size() < size) {
          break;
        }
        cursor = rows.get(rows.size() - 1).seq();
      }
      w.flush();
    };
  }

  static final Object[] CHANGE_HEADER =
      Csv.header(
          "seq",
          "changeId",
          "eventId",
          "employeeId",
          "account",
          "action",
          "userName",
          "target",
          "status",
          "error",
          "awsRequestId",
          "at");
}
