package dev.roster.auditor.console;

import dev.roster.auditor.config.AuditorConfig;
import dev.roster.auditor.query.ReviewQueries;
import dev.roster.auditor.query.Views.Leaver;
import dev.roster.auditor.query.Views.LeaversReport;
import dev.roster.auditor.query.Views.Timeline;
import dev.roster.auditor.rest.ChangesResource;
import dev.roster.auditor.rest.ChangesResource.ChangeParams;
import dev.roster.auditor.rest.EmployeesResource;
import dev.roster.auditor.rest.FindingsResource;
import dev.roster.auditor.rest.FindingsResource.FindingParams;
import dev.roster.auditor.rest.IntegrityResource;
import dev.roster.auditor.rest.ProblemException;
import dev.roster.auditor.rest.ReconciliationsResource;
import dev.roster.auditor.rest.ReconciliationsResource.DifferenceParams;
import dev.roster.auditor.rest.ReconciliationsResource.ReconciliationParams;
import dev.roster.auditor.rest.ReportsResource;
import dev.roster.auditor.rest.ScheduledResource;
import dev.roster.auditor.rest.ScheduledResource.ScheduledParams;
import dev.roster.events.ChangeStatus;
import dev.roster.events.DifferenceKind;
import dev.roster.events.EventType;
import dev.roster.events.FindingKind;
import dev.roster.events.Reconciliation;
import dev.roster.events.ReconciliationStatus;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The auditor web console: server-rendered pages over the same code the {@code /v1} resources run
 * (their parameter parsing, queries and chain verifier), behind the same authentication and role.
 * Every table is plain HTML; Qute escapes every value.
 */
@Path("/console")
@RolesAllowed("auditor")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
  private final ChangesResource changes;
  private final EmployeesResource employees;
  private final ReportsResource reports;
  private final IntegrityResource integrity;
  private final ScheduledResource scheduled;
  private final ReconciliationsResource reconciliations;
  private final FindingsResource findings;
  private final AuditorConfig config;

  @Location("console/changes.html")
  Template changesPage;

  @Location("console/employee.html")
  Template employeePage;

  @Location("console/leavers.html")
  Template leaversPage;

  @Location("console/integrity.html")
  Template integrityPage;

  @Location("console/scheduled.html")
  Template scheduledPage;

  @Location("console/reconciliations.html")
  Template reconciliationsPage;

  @Location("console/reconciliation.html")
  Template reconciliationPage;

  @Location("console/findings.html")
  Template findingsPage;

  @Location("console/error.html")
  Template errorPage;

  public ConsoleResource(
      ChangesResource changes,
      EmployeesResource employees,
      ReportsResource reports,
      IntegrityResource integrity,
      ScheduledResource scheduled,
      ReconciliationsResource reconciliations,
      FindingsResource findings,
      AuditorConfig config) {
    this.changes = changes;
    this.employees = employees;
    this.reports = reports;
    this.integrity = integrity;
    this.scheduled = scheduled;
    this.reconciliations = reconciliations;
    this.findings = findings;
    this.config = config;
  }

  @GET
  @Operation(hidden = true)
  public Response index() {
    return Response.seeOther(URI.create("/console/changes")).build();
  }

  @GET
  @Path("/changes")
  @Operation(hidden = true)
  public TemplateInstance changes(@BeanParam ChangeParams p, @Context UriInfo uri) {
    var page = changes.page(p);
    var query = uri.getQueryParameters();
    return Links.paged(
            changesPage.data("page", page).data("statuses", STATUSES),
            "/console/changes",
            query,
            page.nextCursor())
        .data("csv", Links.csv("/v1/changes", query));
  }

  @GET
  @Path("/employee")
  @Operation(hidden = true)
  public TemplateInstance employee(@QueryParam("employeeId") String employeeId) {
    if (employeeId == null || employeeId.isBlank()) {
      return employeePage.data("employeeId", "").data("timeline", null).data("access", List.of());
    }
    Timeline timeline = employees.timeline(employeeId.trim());
    return employeePage
        .data("employeeId", timeline.employeeId())
        .data("timeline", timeline)
        .data("access", AccountAccess.of(timeline));
  }

  @GET
  @Path("/leavers")
  @Operation(hidden = true)
  public TemplateInstance leavers(@QueryParam("from") String from, @QueryParam("to") String to) {
    LeaversReport report = reports.report(from, to);
    // Those with access possibly open first; otherwise the report's order.
    List<Leaver> rows =
        report.items().stream()
            .sorted(Comparator.comparing((Leaver l) -> !l.accessPossiblyOpen()))
            .toList();
    return leaversPage
        .data("report", report)
        .data("rows", rows)
        .data("open", rows.stream().filter(Leaver::accessPossiblyOpen).count())
        .data("histogram", CutOffHistogram.of(rows, config.console().cutOffSlo()))
        .data("from", from == null ? "" : from)
        .data("to", to == null ? "" : to);
  }

  @GET
  @Path("/integrity")
  @Operation(hidden = true)
  public TemplateInstance integrity(
      @QueryParam("fromSeq") String fromSeq, @QueryParam("toSeq") String toSeq) {
    return integrityPage
        .data("report", integrity.verify(fromSeq, toSeq))
        .data("fromSeq", fromSeq == null ? "" : fromSeq)
        .data("toSeq", toSeq == null ? "" : toSeq)
        .data("range", !blank(fromSeq) || !blank(toSeq));
  }

  @GET
  @Path("/scheduled")
  @Operation(hidden = true)
  public TemplateInstance scheduled(@BeanParam ScheduledParams p, @Context UriInfo uri) {
    var page = scheduled.page(p);
    var query = uri.getQueryParameters();
    return Links.paged(
        scheduledPage.data("page", page).data("types", TYPES),
        "/console/scheduled",
        query,
        page.nextCursor());
  }

  @GET
  @Path("/reconciliations")
  @Operation(hidden = true)
  public TemplateInstance reconciliations(@BeanParam ReconciliationParams p, @Context UriInfo uri) {
    var page = reconciliations.page(p);
    var query = uri.getQueryParameters();
    return Links.paged(
            reconciliationsPage
                .data("page", page)
                .data("statuses", RECONCILIATION_STATUSES)
                .data("sources", SOURCES),
            "/console/reconciliations",
            query,
            page.nextCursor())
        .data("csv", Links.csv("/v1/reconciliations", query));
  }

  /** One reconciliation ({@code id} in the query: ids are the provisioner's, any text). */
  @GET
  @Path("/reconciliation")
  @Operation(hidden = true)
  public Response reconciliation(
      @QueryParam("id") String id, @BeanParam DifferenceParams p, @Context UriInfo uri) {
    if (blank(id)) {
      return Response.seeOther(URI.create("/console/reconciliations")).build();
    }
    var detail = reconciliations.get(id.trim(), p);
    var query = uri.getQueryParameters();
    return Response.ok(
            Links.paged(
                    reconciliationPage
                        .data("r", detail)
                        .data("counts", DifferenceCounts.of(detail))
                        .data("kinds", KINDS),
                    "/console/reconciliation",
                    query,
                    detail.differences().nextCursor())
                .data(
                    "csv",
                    Links.csv(
                        "/v1/reconciliations/"
                            + Links.pathSegment(detail.reconciliationId())
                            + "/differences",
                        query,
                        "id"))
                .render())
        .type(MediaType.TEXT_HTML_TYPE)
        .build();
  }

  @GET
  @Path("/findings")
  @Operation(hidden = true)
  public TemplateInstance findings(@BeanParam FindingParams p, @Context UriInfo uri) {
    var page = findings.page(p);
    var query = uri.getQueryParameters();
    return Links.paged(
            findingsPage
                .data("page", page)
                .data("kinds", FINDING_KINDS)
                .data("statuses", FINDING_STATUSES),
            "/console/findings",
            query,
            page.nextCursor())
        .data("csv", Links.csv("/v1/findings", query));
  }

  /** A refused parameter or an unknown id, as a page (the API answers problem+json instead). */
  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    var p = e.problem();
    return Response.status(p.status())
        .type(MediaType.TEXT_HTML_TYPE)
        .entity(
            errorPage
                .data("status", p.status())
                .data("title", p.title())
                .data("detail", p.detail())
                .data("path", uri.getPath())
                .render())
        .build();
  }

  private static final List<String> STATUSES =
      Arrays.stream(ChangeStatus.values()).map(ChangeStatus::wireName).toList();
  private static final List<String> RECONCILIATION_STATUSES =
      Arrays.stream(ReconciliationStatus.values()).map(ReconciliationStatus::wireName).toList();
  private static final List<String> SOURCES =
      List.of(Reconciliation.SOURCE_SNAPSHOT, Reconciliation.SOURCE_DRIFT);
  private static final List<String> KINDS =
      Arrays.stream(DifferenceKind.values()).map(DifferenceKind::wireName).toList();
  private static final List<String> FINDING_KINDS =
      Arrays.stream(FindingKind.values()).map(FindingKind::wireName).toList();
  private static final List<String> FINDING_STATUSES =
      List.of(ReviewQueries.OPEN, ReviewQueries.RESOLVED);
  private static final List<String> TYPES =
      Arrays.stream(EventType.values()).map(EventType::wireName).toList();

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
