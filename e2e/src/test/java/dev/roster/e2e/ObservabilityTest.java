package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.roster.local.Component;
import dev.roster.local.Stack;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/observability: the alert rules pass {@code promtool check rules}, the Prometheus
 * Operator's copy says the same, and every metric a rule or a dashboard panel names is exported by
 * a running service.
 */
class ObservabilityTest {
  static final Path ROOT = RepoRoot.find();
  static final Path RULES = ROOT.resolve("deploy/observability/prometheus-rules.yaml");
  static final Path DASHBOARD = ROOT.resolve("deploy/observability/grafana-dashboard.json");
  static final Path PROMETHEUS_RULE = ROOT.resolve("deploy/k8s/overlays/prod/prometheus-rule.yaml");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** Roster's metrics (Micrometer names rendered for Prometheus) and the Kafka client's. */
  static final Pattern METRIC = Pattern.compile("\\b(?:roster|kafka)_[a-z0-9_]+\\b");

  @Test
  void promtoolAcceptsTheAlertRules() throws Exception {
    Path promtool = onPath("promtool");
    if (promtool == null) {
      abort("promtool not installed (Debian package prometheus): alert rules not checked");
    }
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void thePrometheusRuleOfTheK8sOverlayHasExactlyTheRulesOfTheRulesFile() throws Exception {
    JsonNode file = YAML.readTree(RULES.toFile());
    JsonNode crd = YAML.readTree(PROMETHEUS_RULE.toFile());
    assertThat(crd.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(crd.at("/spec/groups")).isEqualTo(file.path("groups"));
    String kustomization =
        Files.readString(ROOT.resolve("deploy/k8s/overlays/prod/kustomization.yaml"));
    assertThat(kustomization).contains("prometheus-rule.yaml", "service-monitor.yaml");
  }

  @Test
  void everyMetricARuleOrAPanelNamesIsExportedByARunningService() throws Exception {
    List<String> exprs = exprs();
    Set<String> named = new TreeSet<>();
    for (String e : exprs) {
      Matcher m = METRIC.matcher(e);
      boolean any = false;
      while (m.find()) {
        named.add(m.group());
        any = true;
      }
      assertThat(any).as("expression names a roster_ or kafka_ metric: %s", e).isTrue();
    }
    assertThat(named)
        .contains(
            "roster_leaver_cutoff_seconds_bucket",
            "roster_leaver_completion_seconds_bucket",
            "roster_cutoff_unverified_total");

    Stack stack = E2eStack.get();
    // Counters with labels appear with their first event: a hire and a dead-lettered hire.
    String id = UUID.randomUUID().toString();
    assertThat(
            E2eStack.post(
                OperatorCommandsE2ETest.hire(
                    "evt-obs-" + id,
                    "O1" + id.substring(0, 8),
                    "obs.a." + id.substring(0, 8),
                    "developer")))
        .isEqualTo(202);
    assertThat(
            E2eStack.post(
                OperatorCommandsE2ETest.hire(
                    "evt-obs-bad-" + id,
                    "O2" + id.substring(0, 8),
                    "obs.b." + id.substring(0, 8),
                    "no-such-role")))
        .isEqualTo(202);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Set<String> exported = new TreeSet<>();
              for (Component c :
                  List.of(Component.HR_LISTENER, Component.PROVISIONER, Component.AUDITOR)) {
                exported.addAll(scrape(stack.url(c) + "/q/metrics"));
              }
              List<String> missing = named.stream().filter(n -> !exported.contains(n)).toList();
              assertThat(missing).as("named by a rule or panel, exported by no service").isEmpty();
            });
  }

  /** Every rule's expr and every panel target's expr. */
  static List<String> exprs() throws Exception {
    List<String> all = new ArrayList<>();
    for (JsonNode g : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode r : g.path("rules")) {
        all.add(r.path("expr").asText());
      }
    }
    int rules = all.size();
    for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        all.add(t.path("expr").asText());
      }
    }
    assertThat(rules).as("alert rules").isGreaterThanOrEqualTo(8);
    assertThat(all.size() - rules).as("panel queries").isGreaterThanOrEqualTo(10);
    return all;
  }

  /** The metric names (without labels) of one Prometheus text exposition. */
  static Set<String> scrape(String url) throws Exception {
    // HTTP/1.1: the upgrade to HTTP/2 (h2c) on a large response failed once with a frame error.
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    Set<String> names = new TreeSet<>();
    for (String line : r.body().lines().toList()) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  static Path onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
