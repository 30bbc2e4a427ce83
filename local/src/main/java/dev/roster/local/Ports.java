package dev.roster.local;

import dev.roster.sandbox.FreePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which port each component of a stack gets: the one given, else a free one (tests and benchmarks,
 * beside a running local stack), else its default; and whether a port is free or served now.
 */
public final class Ports {
  private final Map<Component, Integer> ports = new EnumMap<>(Component.class);

  Ports(Map<Component, Integer> fixed, boolean random) {
    for (Component c : Component.values()) {
      Integer given = fixed.get(c);
      ports.put(c, given != null ? given : random ? FreePort.pick() : c.defaultPort());
    }
  }

  int of(Component c) {
    return ports.get(c);
  }

  /** Refuses, before anything starts, a port something else already uses. */
  static void requireFree(Part part) {
    if (!free(part.port())) {
      throw new LauncherException(
          "Port "
              + part.port()
              + " ("
              + part.name()
              + ") is already in use: stop what uses it (./roster down if it is a detached"
              + " stack).");
    }
  }

  /** Something accepts connections on 127.0.0.1 at this port. */
  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean free(int port) {
    if (listening(port)) {
      return false;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
