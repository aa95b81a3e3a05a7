package dev.kodo.cli;

/**
 * A failure {@code koco} reports as its message alone, without a stack trace, and ends with {@link
 * #exitCode()}.
 */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(Exit.USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
