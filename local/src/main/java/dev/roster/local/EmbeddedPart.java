package dev.roster.local;

/**
 * A part this JVM runs in-process (Kafka, PostgreSQL, the IAM sandbox): known by its component and
 * port, healthy while it accepts connections there.
 */
abstract class EmbeddedPart implements Part {
  private final Component component;
  private final int port;

  EmbeddedPart(Component component, int port) {
    this.component = component;
    this.port = port;
  }

  @Override
  public final String name() {
    return component.displayName();
  }

  @Override
  public final int port() {
    return port;
  }

  @Override
  public final Health health() {
    return Health.probe(component, port);
  }
}
