package dev.roster.sandbox.iam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the IAM sandbox as a process:
 *
 * <pre>
 * IamSandboxMain [--port 8083] [--host localhost] [--state FILE] [--seed FILE] [--enforce FILE]
 * </pre>
 *
 * State is loaded from {@code --state} at start, saved within a second of each change and at
 * shutdown; {@code --seed} is applied after loading (seeding only adds what is missing); {@code
 * --enforce} holds callers to policies (the body of {@code PUT /_sandbox/enforcement}).
 */
public final class IamSandboxMain {
  private IamSandboxMain() {}

  /** Parsed command line. */
  record Options(int port, String host, Path state, Path seed, Path enforce) {
    static Options parse(String... args) {
      int port = 8083;
      String host = "localhost";
      Path state = null;
      Path seed = null;
      Path enforce = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--help") || arg.equals("-h")) {
          throw new IllegalArgumentException(usage());
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + arg + "\n" + usage());
        }
        String value = args[++i];
        switch (arg) {
          case "--port" -> port = Integer.parseInt(value);
          case "--host" -> host = value;
          case "--state" -> state = Path.of(value);
          case "--seed" -> seed = Path.of(value);
          case "--enforce" -> enforce = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
        }
      }
      if (seed != null && !Files.isRegularFile(seed)) {
        throw new IllegalArgumentException("seed file not found: " + seed);
      }
      if (enforce != null && !Files.isRegularFile(enforce)) {
        throw new IllegalArgumentException("enforcement file not found: " + enforce);
      }
      return new Options(port, host, state, seed, enforce);
    }

    static String usage() {
      return "usage: IamSandboxMain [--port 8083] [--host localhost] [--state FILE] [--seed FILE]"
          + " [--enforce FILE]";
    }
  }

  /** Starts a sandbox from command-line options (the caller owns stopping it). */
  static IamSandbox start(Options options) {
    IamSandbox sandbox =
        IamSandbox.builder()
            .port(options.port())
            .host(options.host())
            .stateFile(options.state())
            .build()
            .start();
    if (options.seed() != null) {
      sandbox.seed(options.seed());
    }
    if (options.enforce() != null) {
      try {
        sandbox.enforcement().configure(IamSandbox.mapper().readTree(options.enforce().toFile()));
      } catch (java.io.IOException e) {
        sandbox.stop();
        throw new java.io.UncheckedIOException(e);
      } catch (IllegalArgumentException e) {
        sandbox.stop();
        throw new IllegalArgumentException(options.enforce() + ": " + e.getMessage(), e);
      }
    }
    return sandbox;
  }

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    IamSandbox sandbox = start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.stop();
                  stopped.countDown();
                },
                "iam-sandbox-shutdown"));
    System.out.println(
        "IAM sandbox on "
            + sandbox.endpoint()
            + " (admin: "
            + sandbox.endpoint()
            + AdminHttpHandler.PREFIX
            + ")"
            + (options.state() == null ? "" : ", state " + options.state()));
    stopped.await();
  }
}
