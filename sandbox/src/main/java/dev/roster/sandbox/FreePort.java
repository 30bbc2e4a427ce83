package dev.roster.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A free TCP port on 127.0.0.1, for servers that must know their port before they bind (Kafka names
 * its listeners in its configuration) and for stacks that tell each part where the others are. The
 * one place the project picks a port; another process may still take it before it is bound, which
 * on one machine is rare enough.
 */
public final class FreePort {
  private FreePort() {}

  public static int pick() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
