package dev.roster.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PreDestroy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ingest baseline: parse a JSON body, send it to Kafka keyed by {@code employeeId} with the
 * producer settings hr-listener's acceptance depends on ({@code acks=all}, idempotent, linger 5
 * ms), and answer 202 once the broker acknowledged it. Everything hr-listener does beyond that
 * (signature, validation, CloudEvents headers, limits, metrics) is what the ratio measures.
 */
@Path("/v1/events")
public class KafkaSendResource {
  /** The topic the benchmark creates for this app (3 partitions, like hr.events). */
  public static final String TOPIC = "bench.baseline";

  private final KafkaProducer<String, byte[]> producer;

  public KafkaSendResource(
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public CompletionStage<Response> accept(JsonNode event) {
    String eventId = event.path("eventId").asText();
    CompletableFuture<Response> answer = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(
            TOPIC,
            event.path("employeeId").asText(),
            event.toString().getBytes(StandardCharsets.UTF_8)),
        (metadata, error) -> {
          if (error != null) {
            answer.complete(Response.status(503).build());
          } else {
            answer.complete(
                Response.accepted(Map.of("eventId", eventId, "status", "accepted")).build());
          }
        });
    return answer;
  }

  @PreDestroy
  void close() {
    producer.close();
  }
}
