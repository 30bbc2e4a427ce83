package dev.roster.sandbox.launcher;

/**
 * A problem the user can act on, with a message that is one clear sentence. The command line prints
 * the message and exits non-zero, never a stack trace.
 */
public class LauncherException extends RuntimeException {
  private final int exitCode;

  public LauncherException(String message) {
    this(message, 1, null);
  }

  public LauncherException(String message, Throwable cause) {
    this(message, 1, cause);
  }

  public LauncherException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
