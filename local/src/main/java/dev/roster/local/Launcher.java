package dev.roster.local;

import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Optional;
import java.util.Properties;

/**
 * {@code ./roster}: runs all of Roster on one machine.
 *
 * <pre>
 * ./roster up [--demo] [--detach] [--fresh] [--data-dir DIR] [--roles FILE] [--iam-endpoint URL]
 * ./roster down [--data-dir DIR]
 * ./roster status [--data-dir DIR]
 * ./roster post FILE.json [--data-dir DIR]
 * ./roster tail [hr|changes|dlq] [--json] [--from-beginning] [--max N] [--bootstrap-servers B]
 * ./roster dlq list|show|replay ...
 * ./roster review [--json] [--bootstrap-servers B] | review --run [--provisioner-url URL]
 * ./roster [COMMAND] --help
 * </pre>
 *
 * Every failure the user can fix prints one sentence and exits non-zero; never a stack trace.
 */
public final class Launcher {
  static final String USAGE =
      "usage: ./roster up [--demo] [--detach] [--fresh] [--data-dir DIR] [--roles FILE]"
          + " [--iam-endpoint URL] | down | status | post FILE.json | tail | dlq | review | --help";

  /** Written once the stack is healthy: launcher pid and ports, for down, status and post. */
  static final String STATE_FILE = "roster.pid";

  /** Internal flag: the detached child that runs the stack in the background. */
  static final String BACKGROUND = "--background";

  private final PrintStream out;
  private final Path root;

  Launcher(PrintStream out, Path root) {
    this.out = out;
    this.root = root;
  }

  public static void main(String[] args) {
    Path root = Path.of(System.getProperty("roster.root", "")).toAbsolutePath().normalize();
    int code;
    try {
      code = new Launcher(System.out, root).run(args);
    } catch (LauncherException e) {
      System.err.println("roster: " + e.getMessage());
      code = e.exitCode();
    } catch (RuntimeException e) {
      System.err.println("roster: unexpected failure: " + LauncherException.rootMessage(e));
      code = 1;
    }
    if (code != Integer.MIN_VALUE) {
      System.exit(code);
    }
  }

  /** Runs a command; {@link Integer#MIN_VALUE} means "keep running" (a foreground stack). */
  int run(String[] args) {
    if (args.length == 0) {
      throw new LauncherException("No command given; " + USAGE + ".", 2, null);
    }
    if (isHelp(args[0]) || args[0].equals("help")) {
      out.print(Help.MAIN);
      return 0;
    }
    if (java.util.Arrays.stream(args).anyMatch(Launcher::isHelp)) {
      String help = Help.of(args[0]);
      if (help == null) {
        throw new LauncherException("Unknown command " + args[0] + "; " + USAGE + ".", 2, null);
      }
      out.print(help.endsWith("\n") ? help : help + "\n");
      return 0;
    }
    if (args[0].equals("tail")) {
      Tail tail = Tail.fromArgs(out, root, args);
      Thread stopper = new Thread(tail::stop, "roster-tail-stop");
      Runtime.getRuntime().addShutdownHook(stopper); // Ctrl-C ends the tail cleanly
      return tail.run();
    }
    if (args[0].equals("dlq")) {
      return DeadLetterQueue.run(out, root, args);
    }
    if (args[0].equals("review")) {
      return ReviewCommand.run(out, root, args, System.getenv());
    }
    Options o = Options.parse(args);
    return switch (o.command()) {
      case "up" -> up(o);
      case "down" -> down(o);
      case "status" -> status(o);
      case "post" -> post(o);
      default ->
          throw new LauncherException(
              "Unknown command " + o.command() + "; " + USAGE + ".", 2, null);
    };
  }

  // --- up ---------------------------------------------------------------------------------------

  private int up(Options o) {
    Path dataDir = o.dataDir(root);
    Optional<Properties> running = readState(dataDir);
    if (running.isPresent() && alive(running.get())) {
      throw new LauncherException(
          "A stack is already running from "
              + dataDir
              + " (pid "
              + running.get().getProperty("pid")
              + "); stop it with ./roster down.");
    }
    if (o.detach() && !o.background()) {
      return detach(o, dataDir);
    }
    Stack.Builder b =
        Stack.builder()
            .root(root)
            .dataDir(dataDir)
            .fresh(o.fresh())
            .kafkaSecurity(true)
            .iamEndpoint(o.iamEndpoint())
            .logSink(o.background() ? out::println : line -> out.println(line));
    if (o.roles() != null) {
      b.rolesFile(o.roles());
    }
    out.println(
        "roster      | starting Kafka, PostgreSQL, the IAM sandbox and the three services...");
    long t0 = System.nanoTime();
    Stack stack = b.build().start();
    if (!o.background()) {
      writeState(stack);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stack.stop();
                  try {
                    Files.deleteIfExists(dataDir.resolve(STATE_FILE));
                  } catch (IOException e) {
                    // Nothing useful to do while exiting.
                  }
                }));
    printBanner(stack, Duration.ofNanos(System.nanoTime() - t0));
    if (o.demo()) {
      new Demo(stack, out).run();
    }
    if (o.background()) {
      // The detaching parent returns when this appears: after the demo, so it can show it.
      writeState(stack);
    }
    if (!o.background()) {
      out.println("roster      | running; Ctrl-C stops everything.");
    }
    return Integer.MIN_VALUE;
  }

  /** Re-runs {@code up} as a background process and returns once it is healthy. */
  private int detach(Options o, Path dataDir) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid"); // survive the terminal that started it
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Droster.root=" + root);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(Launcher.class.getName());
    cmd.addAll(o.raw());
    cmd.add(BACKGROUND);
    Path log = dataDir.resolve("logs").resolve("roster.log");
    Process child;
    try {
      Files.createDirectories(log.getParent());
      Files.deleteIfExists(dataDir.resolve(STATE_FILE));
      child =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new LauncherException("Cannot start the background stack: " + e.getMessage() + ".");
    }
    out.println("roster: starting in the background (log: " + log + ")...");
    while (readState(dataDir).isEmpty()) {
      if (!child.isAlive()) {
        throw new LauncherException(
            "The background stack stopped during start-up: " + lastLine(log) + ".");
      }
      try {
        Thread.sleep(500); // waiting for another process's file; nothing to block on
      } catch (InterruptedException e) {
        child.destroy();
        Thread.currentThread().interrupt();
        return 130;
      }
    }
    out.println(String.join("\n", tailBanner(log)));
    out.println(
        "roster: running in the background (pid " + child.pid() + "); ./roster down stops it.");
    return 0;
  }

  private void printBanner(Stack stack, Duration took) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Roster is up (" + took.toMillis() / 100 / 10.0 + " s).");
    lines.add(
        "  hr-listener  " + stack.url(Component.HR_LISTENER) + "/v1/events   (schema: /v1/schema)");
    lines.add("  provisioner  " + stack.url(Component.PROVISIONER) + "/q/health");
    lines.add("  auditor      " + stack.url(Component.AUDITOR) + "/v1/changes  (user auditor)");
    lines.add(
        "  IAM          "
            + stack.url(Component.IAM)
            + (stack.usesSandbox()
                ? "  (sandbox; state: " + stack.url(Component.IAM) + "/_sandbox/)"
                : ""));
    lines.add(
        "  Kafka        "
            + stack.kafkaBootstrapServers()
            + "    PostgreSQL 127.0.0.1:"
            + stack.port(Component.POSTGRES)
            + "/roster");
    lines.add("  webhook secret    " + stack.webhookSecret());
    lines.add("  auditor password  " + stack.auditorPassword());
    lines.add("  data              " + stack.dataDir());
    lines.add("Try: ./roster post event.json   or   ./roster status");
    lines.add("");
    lines.forEach(out::println);
  }

  /** From the banner to the end of the background log, without the processes' own lines. */
  private static List<String> tailBanner(Path log) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      int start = -1;
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).startsWith("Roster is up")) {
          start = i;
          break;
        }
      }
      return start < 0
          ? List.of()
          : all.subList(start, all.size()).stream()
              .filter(l -> !l.matches("^[a-z-]+ *\\| .*"))
              .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  // --- down / status / post ---------------------------------------------------------------------

  private int down(Options o) {
    Path dataDir = o.dataDir(root);
    Optional<Properties> state = readState(dataDir);
    if (state.isEmpty() || !alive(state.get())) {
      out.println("roster: no stack is running from " + dataDir + ".");
      return 0;
    }
    long pid = Long.parseLong(state.get().getProperty("pid"));
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    handle.destroy();
    try {
      handle.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new LauncherException("The stack (pid " + pid + ") did not stop within 90 s.");
    }
    out.println("roster: stopped (pid " + pid + ").");
    return 0;
  }

  private int status(Options o) {
    Path dataDir = o.dataDir(root);
    Properties state = readState(dataDir).orElseGet(Properties::new);
    boolean allUp = true;
    if (!state.isEmpty()) {
      out.println(
          "stack pid " + state.getProperty("pid") + (alive(state) ? " (running)" : " (gone)"));
    }
    for (Component c : Component.values()) {
      String key = "port." + c.name();
      int port = Integer.parseInt(state.getProperty(key, Integer.toString(c.defaultPort())));
      Part.Health h =
          c == Component.IAM && state.getProperty("iam.endpoint") != null
              ? Part.Health.external(state.getProperty("iam.endpoint"))
              : Part.Health.probe(c, port);
      allUp &= h.up();
      out.printf("  %-12s %-5s %s%n", c.displayName(), h.up() ? "UP" : "DOWN", h.detail());
    }
    return allUp ? 0 : 3;
  }

  private int post(Options o) {
    Path file = o.postFile();
    if (file == null) {
      throw new LauncherException("post needs a file: ./roster post FILE.json.", 2, null);
    }
    if (!Files.isRegularFile(file)) {
      throw new LauncherException("The file " + file + " does not exist.");
    }
    Path dataDir = o.dataDir(root);
    Properties state = readState(dataDir).orElseGet(Properties::new);
    String secret =
        Optional.ofNullable(System.getenv("ROSTER_WEBHOOK_SECRET"))
            .filter(s -> !s.isBlank())
            .orElse(null);
    try {
      if (secret == null) {
        Path f = dataDir.resolve("webhook-secret");
        if (!Files.isRegularFile(f)) {
          throw new LauncherException(
              "No webhook secret: set ROSTER_WEBHOOK_SECRET or start the stack with ./roster up.");
        }
        secret = Files.readString(f).strip();
      }
      byte[] body = Files.readAllBytes(file);
      boolean batch = new String(body, StandardCharsets.UTF_8).stripLeading().startsWith("[");
      int port =
          Integer.parseInt(
              state.getProperty(
                  "port." + Component.HR_LISTENER.name(),
                  "" + Component.HR_LISTENER.defaultPort()));
      URI uri =
          URI.create("http://127.0.0.1:" + port + (batch ? "/v1/events/batch" : "/v1/events"));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri)
                      .header("Content-Type", "application/json")
                      .header(Signatures.HEADER, Signatures.header(secret, body))
                      .timeout(Duration.ofSeconds(30))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      out.println("POST " + uri + " -> " + r.statusCode());
      out.println(r.body());
      return r.statusCode() / 100 == 2 ? 0 : 1;
    } catch (java.net.ConnectException e) {
      throw new LauncherException(
          "hr-listener is not answering; start the stack with ./roster up.");
    } catch (IOException e) {
      throw new LauncherException("The post failed: " + LauncherException.rootMessage(e) + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  // --- state file -------------------------------------------------------------------------------

  private static void writeState(Stack stack) {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    for (Component c : Component.values()) {
      p.setProperty("port." + c.name(), Integer.toString(stack.port(c)));
    }
    if (!stack.usesSandbox()) {
      p.setProperty("iam.endpoint", stack.url(Component.IAM));
    }
    Path file = stack.dataDir().resolve(STATE_FILE);
    Path tmp = stack.dataDir().resolve(STATE_FILE + ".tmp");
    try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "Roster local stack: launcher pid and ports");
    } catch (IOException e) {
      throw new LauncherException("Cannot write " + file + ".", e);
    }
    try {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LauncherException("Cannot write " + file + ".", e);
    }
  }

  static Optional<Properties> readState(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(p);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static boolean alive(Properties state) {
    try {
      return ProcessHandle.of(Long.parseLong(state.getProperty("pid", "-1")))
          .map(ProcessHandle::isAlive)
          .orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith("roster: ")) {
          return lines.get(i).substring("roster: ".length()).replaceAll("\\.$", "");
        }
      }
      return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "see " + log;
    }
  }

  // --- options ----------------------------------------------------------------------------------

  /** Parsed command line; unknown flags are a one-sentence error. */
  record Options(
      String command,
      List<String> raw,
      boolean demo,
      boolean detach,
      boolean fresh,
      boolean background,
      Path dataDirOption,
      Path roles,
      String iamEndpoint,
      Path postFile) {

    Path dataDir(Path root) {
      return dataDirOption != null ? dataDirOption.toAbsolutePath() : root.resolve(".roster");
    }

    static Options parse(String[] args) {
      String command = args[0];
      List<String> raw = new ArrayList<>(List.of(args));
      raw.remove(BACKGROUND);
      boolean demo = false, detach = false, fresh = false, background = false;
      Path dataDir = null, roles = null, postFile = null;
      String iam = null;
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        boolean upOnly = true;
        switch (a) {
          case "--demo" -> demo = true;
          case "--detach" -> detach = true;
          case "--fresh" -> fresh = true;
          case BACKGROUND -> background = true;
          case "--data-dir" -> {
            dataDir = Path.of(value(args, ++i, a));
            upOnly = false;
          }
          case "--roles" -> roles = Path.of(value(args, ++i, a));
          case "--iam-endpoint" -> iam = value(args, ++i, a);
          default -> {
            if (a.startsWith("-")) {
              throw new LauncherException(
                  "Unknown option " + a + " for '" + command + "'; " + USAGE + ".", 2, null);
            }
            if (!command.equals("post") || postFile != null) {
              throw new LauncherException(
                  "Unexpected argument " + a + " for '" + command + "'; " + USAGE + ".", 2, null);
            }
            postFile = Path.of(a);
            upOnly = false;
          }
        }
        if (upOnly && !command.equals("up")) {
          throw new LauncherException(
              "The option " + a + " only applies to 'up'; " + USAGE + ".", 2, null);
        }
      }
      if (iam != null && !iam.equals(Stack.REAL_AWS) && !iam.matches("https?://\\S+")) {
        throw new LauncherException(
            "--iam-endpoint needs a URL such as http://localhost:4566, or 'aws'.", 2, null);
      }
      return new Options(
          command, raw, demo, detach, fresh, background, dataDir, roles, iam, postFile);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new LauncherException(flag + " needs a value; " + USAGE + ".", 2, null);
      }
      return args[i];
    }
  }
}
