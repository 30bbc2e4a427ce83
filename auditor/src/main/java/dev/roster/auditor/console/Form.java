package dev.roster.auditor.console;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.HashMap;
import java.util.Map;

/** The submitted filter, to fill the form in again ({@code {q.get('employeeId')}}: "" if none). */
public record Form(Map<String, String> values) {
  public static Form of(MultivaluedMap<String, String> query) {
    Map<String, String> v = new HashMap<>();
    query.forEach((k, list) -> v.put(k, list.isEmpty() ? "" : list.get(0)));
    return new Form(v);
  }

  public String get(String name) {
    return values.getOrDefault(name, "");
  }
}
