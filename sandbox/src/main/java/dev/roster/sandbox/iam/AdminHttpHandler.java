package dev.roster.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.roster.sandbox.iam.protocol.IamException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The admin API under {@code /_sandbox/}: reset, seed, state, faults, call counters. JSON in and
 * out; errors are {@code application/problem+json}.
 */
final class AdminHttpHandler implements HttpHandler {
  static final String PREFIX = "/_sandbox/";

  private final IamSandbox sandbox;
  private final ObjectMapper mapper;

  AdminHttpHandler(IamSandbox sandbox, ObjectMapper mapper) {
    this.sandbox = sandbox;
    this.mapper = mapper;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
      try {
        route(exchange, method, path);
      } catch (IllegalArgumentException | IOException | IamException e) {
        problem(exchange, 400, "Bad Request", e.getMessage());
      }
    }
  }

  private void route(HttpExchange exchange, String method, String path) throws IOException {
    switch (method + " " + path) {
      case "POST reset" -> {
        sandbox.reset();
        noContent(exchange);
      }
      case "POST seed" -> {
        sandbox.seed(exchange.getRequestBody());
        noContent(exchange);
      }
      case "GET state" -> json(exchange, 200, sandbox.state());
      case "POST save" -> {
        sandbox.save();
        noContent(exchange);
      }
      case "GET faults" -> json(exchange, 200, sandbox.faults().config());
      case "PUT faults" -> {
        Faults.Config config = mapper.readValue(exchange.getRequestBody(), Faults.Config.class);
        sandbox.faults().configure(config);
        json(exchange, 200, sandbox.faults().config());
      }
      case "DELETE faults" -> {
        sandbox.faults().clear();
        noContent(exchange);
      }
      case "GET calls" -> json(exchange, 200, sandbox.callCounts());
      case "GET enforcement" -> json(exchange, 200, enforcement());
      case "PUT enforcement" -> {
        sandbox.enforcement().configure(mapper.readTree(exchange.getRequestBody()));
        json(exchange, 200, enforcement());
      }
      case "DELETE enforcement" -> {
        sandbox.enforcement().clear();
        noContent(exchange);
      }
      default -> {
        if (method.equals("GET") && path.startsWith("state/")) {
          String account = path.substring("state/".length());
          if (!account.matches("\\d{12}")) {
            problem(exchange, 400, "Bad Request", "account id must be 12 digits: " + account);
          } else {
            json(exchange, 200, sandbox.state(account));
          }
        } else {
          problem(exchange, 404, "Not Found", "no admin endpoint " + method + " " + PREFIX + path);
        }
      }
    }
  }

  private Map<String, Object> enforcement() {
    return Map.of("rules", sandbox.enforcement().rules());
  }

  private void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes =
        body instanceof JsonNode node
            ? mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(node)
            : mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    send(exchange, status, "application/json", bytes);
  }

  private void problem(HttpExchange exchange, int status, String title, String detail)
      throws IOException {
    byte[] bytes =
        mapper.writeValueAsBytes(
            Map.of(
                "type",
                "about:blank",
                "title",
                title,
                "status",
                status,
                "detail",
                String.valueOf(detail)));
    send(exchange, status, "application/problem+json", bytes);
  }

  private static void noContent(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(204, -1);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
