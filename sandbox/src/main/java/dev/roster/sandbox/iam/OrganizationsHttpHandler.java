package dev.roster.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.orgs.OrganizationsApi;
import dev.roster.sandbox.orgs.OrgsException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;

/**
 * The Organizations endpoint on the sandbox's port: JSON 1.1 requests told apart from IAM's Query
 * requests by their {@code X-Amz-Target} header. The caller's account comes from the signing key as
 * for IAM; calls are counted and subject to the same faults (a throttle is Organizations' {@code
 * TooManyRequestsException}).
 */
final class OrganizationsHttpHandler {
  private static final System.Logger LOG =
      System.getLogger(OrganizationsHttpHandler.class.getName());

  private final OrganizationsApi api;
  private final IamEngine engine;
  private final Faults faults;
  private final CallCounters counters;
  private final ObjectMapper mapper;

  OrganizationsHttpHandler(
      OrganizationsApi api,
      IamEngine engine,
      Faults faults,
      CallCounters counters,
      ObjectMapper mapper) {
    this.api = api;
    this.engine = engine;
    this.faults = faults;
    this.counters = counters;
    this.mapper = mapper;
  }

  static boolean accepts(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    return target != null && target.startsWith(OrganizationsApi.TARGET_PREFIX);
  }

  void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    String action =
        exchange
            .getRequestHeaders()
            .getFirst("X-Amz-Target")
            .substring(OrganizationsApi.TARGET_PREFIX.length());
    int status = 200;
    JsonNode body;
    try {
      String account =
          engine.accountOf(
              QueryHttpHandler.accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")));
      counters.record(account, action);
      try {
        faults.check(account, action);
      } catch (IamException e) {
        throw e.code().equals("Throttling")
            ? new OrgsException("TooManyRequestsException", "Rate exceeded")
            : new OrgsException("ServiceException", 500, e.getMessage());
      }
      byte[] raw = exchange.getRequestBody().readAllBytes();
      body = api.handle(action, account, raw.length == 0 ? null : mapper.readTree(raw));
    } catch (OrgsException e) {
      status = e.status();
      body = mapper.valueToTree(Map.of("__type", e.type(), "Message", e.getMessage()));
    } catch (IamException e) {
      status = e.status();
      body = mapper.valueToTree(Map.of("__type", e.code(), "Message", e.getMessage()));
    } catch (IOException e) {
      status = 400;
      body =
          mapper.valueToTree(
              Map.of("__type", "SerializationException", "Message", "Malformed JSON body"));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "Organizations sandbox failed on " + action, e);
      status = 500;
      body =
          mapper.valueToTree(Map.of("__type", "ServiceException", "Message", "Internal failure"));
    }
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    try (exchange) {
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
