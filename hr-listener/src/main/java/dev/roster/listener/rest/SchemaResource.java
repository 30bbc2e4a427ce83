package dev.roster.listener.rest;

import dev.roster.events.EventSchema;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The JSON Schema of an HR event, straight from the events module. */
@Path("/v1/schema")
@Tag(name = "events")
public class SchemaResource {
  private static final byte[] SCHEMA = EventSchema.bytes();

  @GET
  @Produces({EventSchema.MEDIA_TYPE, "application/json"})
  @Operation(summary = "JSON Schema (draft 2020-12) of an HR event")
  public Response schema() {
    return Response.ok(SCHEMA).type(EventSchema.MEDIA_TYPE).build();
  }
}
