package dev.roster.local;

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

  /** The innermost cause's message, first line only: what a one-sentence error can show. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
