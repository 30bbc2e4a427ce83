package dev.roster.bench.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.bench.Benchmark;
import dev.roster.bench.Context;
import dev.roster.bench.Figure;
import dev.roster.bench.Report;
import dev.roster.bench.Spread;
import dev.roster.bench.Stacks;
import dev.roster.sandbox.iam.IamSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Which SDK HTTP client costs the provisioner least CPU per IAM call. Each client runs the leave
 * calls against the IAM sandbox (no latency fault) from a JVM of its own ({@link ClientRun}, with
 * the provisioner container's JVM options), so that its process CPU time is the calling side's
 * alone; the sandbox answers from this JVM. The clients take turns, three rounds, each round
 * starting with the next client; every run gets freshly seeded users.
 */
public final class SdkHttpBenchmark implements Benchmark {
  static final String ACCOUNT = "111111111111";
  static final List<String> GROUPS = List.of("all-staff", "developers");
  static final int THREADS = Integer.getInteger("bench.sdk-http.threads", 8);
  static final int ROUNDS = 3;
  static final long RUN_LIMIT_SECONDS = 240;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "sdk-http";
  }

  @Override
  public String description() {
    return "CPU per IAM call of the calling side, for each SDK HTTP client (url-connection, apache,"
        + " apache5, aws-crt), leave calls against the IAM sandbox";
  }

  @Override
  public void run(Context ctx, Report report) throws Exception {
    boolean quick = ctx.timeScale() < 1;
    int warmUp = quick ? 100 : 600;
    int measured = quick ? 200 : 1000;
    List<HttpClientKind> kinds = kinds();
    Map<HttpClientKind, List<ClientRun.Result>> results = new LinkedHashMap<>();
    kinds.forEach(k -> results.put(k, new ArrayList<>()));
    try (IamSandbox iam = IamSandbox.builder().build().start()) {
      for (int round = 0; round < ROUNDS; round++) {
        for (int j = 0; j < kinds.size(); j++) {
          HttpClientKind kind = kinds.get((round + j) % kinds.size());
          iam.reset();
          iam.seed(seed(warmUp + measured));
          ClientRun.Result r = fork(ctx, iam, kind, warmUp, measured);
          results.get(kind).add(r);
          report.note(
              ("round %d, %s: %d calls (%d leaves) in %s s, %s calls/s; CPU %s µs per call without"
                      + " the JIT, %s µs with it (%s);"
                      + " p50 %s ms, p99 %s ms; machine idle %s %%, used by others %s %%")
                  .formatted(
                      round + 1,
                      kind.label(),
                      r.calls(),
                      r.leaves(),
                      Report.number(r.seconds()),
                      Report.number(r.callsPerSecond()),
                      Report.number(r.cpuMicrosPerCall()),
                      Report.number(r.processCpuMicrosPerCall()),
                      shares(r),
                      Report.number(r.p50Millis()),
                      Report.number(r.p99Millis()),
                      Report.number(100 * r.idleShare()),
                      Report.number(100 * r.othersShare())));
        }
      }
    }
    figures(report, results);
    report.note(
        ("each run: %d threads, %d warm-up then %d measured leaves of seeded users (2 groups, 2 active"
                + " access keys, a console password), 17 calls each: 10 reads (ListAccessKeys,"
                + " GetLoginProfile, ListUserTags, ListSSHPublicKeys,"
                + " ListServiceSpecificCredentials, ListSigningCertificates, ListMFADevices,"
                + " ListAttachedUserPolicies, ListUserPolicies, ListGroupsForUser), then"
                + " UpdateAccessKey x2, DeleteLoginProfile, RemoveUserFromGroup x2, PutUserPolicy,"
                + " TagUser. CPU per call = utime + stime of the client's own JVM (%s) over the measured"
                + " leaves, less its JIT compiler threads (/proc/self/task; a one-off cost that"
                + " a short warm-up leaves in the window), divided by the calls answered; plain"
                + " HTTP to the sandbox, so TLS is not in the figures")
            .formatted(THREADS, warmUp, measured, String.join(" ", Stacks.jvmOptions(ctx))));
  }

  /**
   * url-connection first (the baseline), then the others, or those -Dbench.sdk-http.clients names.
   */
  static List<HttpClientKind> kinds() {
    String only = System.getProperty("bench.sdk-http.clients");
    List<HttpClientKind> kinds = new ArrayList<>(List.of(HttpClientKind.URL_CONNECTION));
    List<HttpClientKind> others =
        only == null
            ? Arrays.asList(HttpClientKind.values())
            : Arrays.stream(only.split(",")).map(String::trim).map(HttpClientKind::of).toList();
    others.stream().filter(k -> !kinds.contains(k)).forEach(kinds::add);
    return kinds;
  }

  static void figures(Report report, Map<HttpClientKind, List<ClientRun.Result>> results) {
    List<ClientRun.Result> base = results.get(HttpClientKind.URL_CONNECTION);
    Spread baseCpu = spread(base, ClientRun.Result::cpuMicrosPerCall);
    Spread baseRate = spread(base, ClientRun.Result::callsPerSecond);
    Spread baseP50 = spread(base, ClientRun.Result::p50Millis);
    Spread baseP99 = spread(base, ClientRun.Result::p99Millis);
    String baseName = "url-connection (today's client), same run";
    for (var e : results.entrySet()) {
      String label = e.getKey().label();
      boolean isBase = e.getKey() == HttpClientKind.URL_CONNECTION;
      Spread cpu = spread(e.getValue(), ClientRun.Result::cpuMicrosPerCall);
      Spread calling = spread(e.getValue(), r -> r.sharePercent(ClientRun.CALLING));
      Spread jit = spread(e.getValue(), r -> r.sharePercent(ClientRun.JIT));
      Spread jvm = spread(e.getValue(), r -> r.sharePercent(ClientRun.JVM));
      Spread client = spread(e.getValue(), r -> r.sharePercent(ClientRun.CLIENT));
      report.add(
          compare(
              Figure.of("SDK CPU per IAM call, " + label, "µs", cpu.median()),
              isBase,
              baseName,
              baseCpu.median(),
              cpu
                  + ("; of the process's CPU (medians): calling threads %s %%, JIT %s %% (not"
                          + " counted), GC and JVM %s %%, the HTTP client's and the SDK's own"
                          + " threads %s %%")
                      .formatted(
                          Report.number(calling.median()),
                          Report.number(jit.median()),
                          Report.number(jvm.median()),
                          Report.number(client.median()))));
      report.add(
          compare(
              Figure.of(
                  "SDK calls/s, " + label,
                  "calls/s",
                  spread(e.getValue(), ClientRun.Result::callsPerSecond).median()),
              isBase,
              baseName,
              baseRate.median(),
              spread(e.getValue(), ClientRun.Result::callsPerSecond).toString()));
      report.add(
          compare(
              Figure.of(
                  "SDK call p50, " + label,
                  "ms",
                  spread(e.getValue(), ClientRun.Result::p50Millis).median()),
              isBase,
              baseName,
              baseP50.median(),
              spread(e.getValue(), ClientRun.Result::p50Millis).toString()));
      report.add(
          compare(
              Figure.of(
                  "SDK call p99, " + label,
                  "ms",
                  spread(e.getValue(), ClientRun.Result::p99Millis).median()),
              isBase,
              baseName,
              baseP99.median(),
              spread(e.getValue(), ClientRun.Result::p99Millis).toString()));
    }
    List<ClientRun.Result> all = results.values().stream().flatMap(List::stream).toList();
    report.add(
        Figure.of(
                "machine share used by others during the runs",
                "%",
                100 * spread(all, ClientRun.Result::othersShare).median())
            .note(
                "CPU time of the machine that neither the client's JVM nor the sandbox's used"
                    + " (the machine itself is busy by design); figures from runs where others used"
                    + " more than 10 % are not valid to quote; "
                    + spread(all, r -> 100 * r.othersShare())));
  }

  /** "calling threads 61 %, JIT 9 %, ..., other threads: AwsEventLoop 1 120 ms, ...". */
  private static String shares(ClientRun.Result r) {
    StringBuilder b = new StringBuilder();
    r.cpuMillisByRole()
        .forEach(
            (role, ms) ->
                b.append(role)
                    .append(' ')
                    .append(Report.number(100 * ms / r.processCpuMillis()))
                    .append(" %, "));
    b.append("other threads by name:");
    r.clientThreadsMillis()
        .forEach(
            (name, ms) ->
                b.append(' ').append(name).append(' ').append(Report.number(ms)).append(" ms,"));
    return b.substring(0, b.length() - 1);
  }

  private static Figure compare(
      Figure f, boolean isBase, String baseName, double baseline, String note) {
    return (isBase ? f : f.vs(baseName, baseline)).note(note);
  }

  private static Spread spread(
      List<ClientRun.Result> runs, ToDoubleFunction<ClientRun.Result> value) {
    return Spread.of(runs.stream().map(r -> value.applyAsDouble(r)).toList());
  }

  /** Users {@code sdk.u0}... with what a leave takes away: 2 groups, 2 active keys, a password. */
  static ObjectNode seed(int users) {
    ObjectNode account = JSON.createObjectNode();
    ArrayNode groups = account.putArray("groups");
    GROUPS.forEach(groups::add);
    ArrayNode list = account.putArray("users");
    for (int i = 0; i < users; i++) {
      ObjectNode u = list.addObject();
      u.put("name", ClientRun.user(i));
      u.putObject("tags").put("roster:employee-id", "S" + i);
      ArrayNode g = u.putArray("groups");
      GROUPS.forEach(g::add);
      u.putArray("accessKeys").add(JSON.createObjectNode()).add(JSON.createObjectNode());
      u.putObject("loginProfile");
    }
    ObjectNode seed = JSON.createObjectNode();
    seed.putObject("accounts").set(ACCOUNT, account);
    return seed;
  }

  /** One client's run in its own JVM, with the JVM options of the provisioner's container. */
  private static ClientRun.Result fork(
      Context ctx, IamSandbox iam, HttpClientKind kind, int warmUp, int measured) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Stacks.jvmOptions(ctx));
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ClientRun.class.getName(),
            kind.label(),
            iam.endpoint().toString(),
            Integer.toString(THREADS),
            Integer.toString(warmUp),
            Integer.toString(measured)));
    Path log = ctx.root().resolve("bench/target/sdk-http").resolve(kind.label() + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // The default credential chain, as the provisioner's: the access key id selects the account.
    pb.environment().put("AWS_ACCESS_KEY_ID", ACCOUNT);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "bench");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = pb.start();
    if (!p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(
          kind.label() + " run took over " + RUN_LIMIT_SECONDS + " s; output in " + log);
    }
    String output = Files.readString(log);
    ClientRun.Result r = ClientRun.Result.parse(output);
    if (r == null || p.exitValue() != 0) {
      throw new IllegalStateException(
          kind.label() + " run failed (exit " + p.exitValue() + "):\n" + tail(output, 40));
    }
    return r;
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    return String.join(
        "\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
  }
}
