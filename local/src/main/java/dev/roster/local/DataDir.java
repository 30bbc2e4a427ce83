package dev.roster.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * Where a local stack keeps its state ({@code .roster/} by default): the Kafka log, the database,
 * the IAM sandbox state, the generated secrets and the logs of every process.
 */
public final class DataDir {
  /** Unpacked PostgreSQL binaries: kept by {@code --fresh}, they take a while to unpack. */
  private static final String POSTGRES_BINARIES = "postgres-bin";

  private final Path dir;

  /** Creates the directory (emptied first when {@code fresh}). */
  DataDir(Path dir, boolean fresh) {
    this.dir = dir.toAbsolutePath();
    if (fresh) {
      wipe();
    }
    try {
      Files.createDirectories(logs());
    } catch (IOException e) {
      throw new LauncherException("Cannot create the data directory " + this.dir + ".", e);
    }
  }

  public Path path() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  Path logs() {
    return dir.resolve("logs");
  }

  Path logFile(String partName) {
    return logs().resolve(partName + ".log");
  }

  Path postgresBinaries() {
    return dir.resolve(POSTGRES_BINARIES);
  }

  /**
   * The given value, else the environment variable (if named), else the file, else a new random one
   * kept in that file (mode 600), so the stack's secrets stay the same from one start to the next.
   */
  String secret(String given, String envName, String fileName) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    String env = envName == null ? null : System.getenv(envName);
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path file = dir.resolve(fileName);
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String generated = HexFormat.of().formatHex(bytes);
      Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return generated;
    } catch (IOException e) {
      throw new LauncherException("Cannot read or write " + file + ": " + e.getMessage() + ".", e);
    }
  }

  /** Writes a file readable by its owner only. */
  void writePrivate(String fileName, String content) {
    Path file = dir.resolve(fileName);
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new LauncherException("Cannot write " + file + ": " + e.getMessage() + ".", e);
    }
  }

  private void wipe() {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .filter(p -> !p.equals(dir))
          .filter(p -> !p.startsWith(postgresBinaries()))
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      throw new LauncherException("Cannot wipe the data directory " + dir + ".", e);
    }
  }
}
