package dev.roster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory settings of the Kubernetes manifests ({@code deploy/k8s/base/<service>.yaml}): each
 * service's JVM options ({@code JAVA_TOOL_OPTIONS}) and its container's memory limit. The
 * benchmarks run every service with exactly those options and report its peak RSS against that
 * limit, so the figure is about what is deployed, not about a copy of it.
 */
public final class Manifests {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Manifests() {}

  /** The container's environment variables that tune the C library, not the JVM. */
  static final List<String> NATIVE_ENV = List.of("MALLOC_ARENA_MAX");

  /**
   * One service's container: its JVM options, memory limit (MiB) and {@link #NATIVE_ENV} values.
   */
  public record Container(
      String service,
      List<String> jvmOptions,
      double memoryLimitMiB,
      Map<String, String> nativeEnv) {}

  public static Container container(Path root, String service) {
    Path file = root.resolve("deploy/k8s/base").resolve(service + ".yaml");
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (!"Deployment".equals(doc.path("kind").asText())) {
          continue;
        }
        for (JsonNode c : doc.at("/spec/template/spec/containers")) {
          if (!service.equals(c.path("name").asText())) {
            continue;
          }
          String options = "";
          Map<String, String> nativeEnv = new TreeMap<>();
          for (JsonNode env : c.path("env")) {
            String name = env.path("name").asText();
            if ("JAVA_TOOL_OPTIONS".equals(name)) {
              options = env.path("value").asText();
            } else if (NATIVE_ENV.contains(name)) {
              nativeEnv.put(name, env.path("value").asText());
            }
          }
          return new Container(
              service,
              options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+")),
              mebibytes(c.at("/resources/limits/memory").asText()),
              Map.copyOf(nativeEnv));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no Deployment container " + service + " in " + file);
  }

  /** {@code 512Mi}, {@code 1Gi}, {@code 500M}: Kubernetes quantities, in MiB. */
  static double mebibytes(String quantity) {
    String q = quantity.trim();
    if (q.endsWith("Gi")) {
      return Double.parseDouble(q.substring(0, q.length() - 2)) * 1024;
    }
    if (q.endsWith("Mi")) {
      return Double.parseDouble(q.substring(0, q.length() - 2));
    }
    if (q.endsWith("Ki")) {
      return Double.parseDouble(q.substring(0, q.length() - 2)) / 1024;
    }
    if (q.endsWith("G")) {
      return Double.parseDouble(q.substring(0, q.length() - 1)) * 1e9 / (1 << 20);
    }
    if (q.endsWith("M")) {
      return Double.parseDouble(q.substring(0, q.length() - 1)) * 1e6 / (1 << 20);
    }
    return Double.parseDouble(q) / (1 << 20);
  }
}
