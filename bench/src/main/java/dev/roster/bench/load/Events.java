package dev.roster.bench.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** HR event bodies as an HR system would send them (contract of the events module). */
public final class Events {
  private Events() {}

  public static String hire(String eventId, String employeeId, String username, String... roles) {
    String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    return """
        {"eventId":"%s","type":"hire","employeeId":"%s","occurredAt":"%s","effectiveAt":"%s",\
        "employee":{"username":"%s","email":"%s@example.com","displayName":"Bench %s",\
        "department":"Engineering","title":"Backend Engineer","roles":[%s]}}"""
        .formatted(eventId, employeeId, now, now, username, username, employeeId, quoted(roles));
  }

  public static String roleChange(String eventId, String employeeId, String... roles) {
    String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    return """
        {"eventId":"%s","type":"role_change","employeeId":"%s","occurredAt":"%s",\
        "employee":{"roles":[%s]}}"""
        .formatted(eventId, employeeId, now, quoted(roles));
  }

  public static String leave(String eventId, String employeeId) {
    String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    return """
        {"eventId":"%s","type":"leave","employeeId":"%s","occurredAt":"%s",\
        "reason":"benchmark leaver"}"""
        .formatted(eventId, employeeId, now);
  }

  public static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String... roles) {
    StringBuilder b = new StringBuilder();
    for (String r : roles) {
      if (!b.isEmpty()) {
        b.append(',');
      }
      b.append('"').append(r).append('"');
    }
    return b.toString();
  }
}
