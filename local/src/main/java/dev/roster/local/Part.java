package dev.roster.local;

/**
 * One part of the local stack (Kafka, PostgreSQL, the IAM sandbox, a service): it knows how to
 * start and stop itself and how to tell whether it is healthy, so the stack only keeps them in
 * order.
 */
public interface Part {
  /** Name in logs and messages. */
  String name();

  int port();

  /** Starts the part (again, after a stop or a kill); a service is then still starting up. */
  void start();

  /** Stops the part gracefully, keeping its data for the next start. Safe to call twice. */
  void stop();

  /** Stops abruptly, like a crash (kill -9 for a process); by default the same as stop. */
  default void kill() {
    stop();
  }

  boolean isRunning();

  /** Probed now. */
  Health health();

  /** Returns once the part serves; parts that serve once started return at once. */
  default void awaitReady() {}

  /** A part's state as {@code ./roster status} shows it. */
  record Health(boolean up, String detail) {
    static Health up(String detail) {
      return new Health(true, detail);
    }

    static Health down(String detail) {
      return new Health(false, detail);
    }

    static Health external(String endpoint) {
      return new Health(true, "external endpoint " + endpoint);
    }

    /** Health of a component on a port, whoever started it (used by {@code ./roster status}). */
    public static Health probe(Component c, int port) {
      if (c.isService()) {
        return ServicePart.probeReady(port);
      }
      return Ports.listening(port) ? up("listening on " + port) : down("not listening");
    }
  }
}
