package dev.roster.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The HTTP floor: parse a JSON body and answer 202, nothing else (no signature check, no
 * validation, no Kafka). Same framework, same JSON library, same JVM flags as hr-listener; shown
 * beside the Kafka-sending baseline ({@link KafkaSendResource}) to tell HTTP cost from Kafka's.
 */
@Path("/v1/echo")
public class EchoResource {

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response accept(JsonNode event) {
    return Response.accepted(
            Map.of("eventId", event.path("eventId").asText(), "status", "accepted"))
        .build();
  }
}
