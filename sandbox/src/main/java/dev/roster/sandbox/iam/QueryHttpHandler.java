package dev.roster.sandbox.iam;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.roster.sandbox.iam.action.Actions;
import dev.roster.sandbox.iam.protocol.IamException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The IAM/STS endpoint: Query protocol requests on {@code /}. */
final class QueryHttpHandler implements HttpHandler {
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

  private final IamEngine engine;
  private final IamEngine.Later later;
  private final OrganizationsHttpHandler organizations;

  QueryHttpHandler(
      IamEngine engine, IamEngine.Later later, OrganizationsHttpHandler organizations) {
    this.engine = engine;
    this.later = later;
    this.organizations = organizations;
  }

  /**
   * Reads the request on the server's thread; the answer may be sent later from another thread (a
   * latency fault), which is why the exchange is closed by {@link #send} and not here.
   */
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (OrganizationsHttpHandler.accepts(exchange)) {
      organizations.handle(exchange);
      return;
    }
    try {
      String method = exchange.getRequestMethod();
      if (!method.equals("POST") && !method.equals("GET")) {
        send(exchange, 405, error("MethodNotAllowed", 405, "Use POST with a form body"), null);
        return;
      }
      Map<String, String> form = new HashMap<>();
      parse(exchange.getRequestURI().getRawQuery(), form);
      if (method.equals("POST")) {
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), form);
      }
      String accessKeyId = accessKeyId(exchange.getRequestHeaders().getFirst("Authorization"));
      if (accessKeyId == null) {
        // Presigned query requests carry the credential in X-Amz-Credential.
        String credential = form.remove("X-Amz-Credential");
        if (credential != null) {
          accessKeyId = credential.split("/", 2)[0];
        }
      }
      engine.handle(
          form,
          accessKeyId,
          later,
          response -> {
            try {
              send(exchange, response.status(), response.body(), response.requestId());
            } catch (IOException e) {
              // The client went away while the answer was due: nothing to answer.
              exchange.close();
            }
          });
    } catch (IOException | RuntimeException e) {
      exchange.close();
      throw e;
    }
  }

  static String accessKeyId(String authorization) {
    if (authorization == null) {
      return null;
    }
    Matcher m = CREDENTIAL.matcher(authorization);
    return m.find() ? m.group(1) : null;
  }

  private static void parse(String encoded, Map<String, String> into) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      into.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
  }

  private static String error(String code, int status, String message) {
    return IamEngine.error(
        Actions.IAM_NAMESPACE,
        new IamException(code, status, true, message),
        UUID.randomUUID().toString());
  }

  private static void send(HttpExchange exchange, int status, String body, String requestId)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    if (requestId != null) {
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    }
    try (exchange) {
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
