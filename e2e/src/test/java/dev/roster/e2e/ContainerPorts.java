package dev.roster.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for containers that bind them minutes after the test picked them (a
 * compose stack waits for health checks, images build first). {@code FreePort} hands out ports of
 * the kernel's ephemeral range, right for a server that binds at once; over minutes, on a machine
 * shared with other builds, an outgoing connection may take such a port first (it happened to the
 * auditor of a compose run). So these come from just below the ephemeral range, where no outgoing
 * connection and no {@code FreePort} user lands; each is checked free when picked.
 */
final class ContainerPorts {
  private static final Set<Integer> GIVEN = new HashSet<>();

  private ContainerPorts() {}

  static synchronized int pick() {
    int low = ephemeralLow();
    int from = Math.max(10_000, low - 10_000);
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(from, low);
      if (!GIVEN.contains(port) && free(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + from + ".." + (low - 1));
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of net.ipv4.ip_local_port_range (Linux's default 32768 elsewhere). */
  private static int ephemeralLow() {
    try {
      // Read as lines: procfs reports no size, and Files.readString then stops after one byte.
      String range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > 12_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
