package dev.kodo.cli;

import dev.kodo.client.EventType;
import dev.kodo.client.RunState;

/** The exit codes of {@code koco}, listed in every command's help. */
final class Exit {
  /** Success; for a run, it ended {@code done}. */
  static final int OK = 0;

  /** The run ended in {@code error} or was killed, or the command failed. */
  static final int FAILED = 1;

  /**
   * Bad usage: an unknown option, a malformed {@code --input}, invalid inputs, an unknown flow
   * class.
   */
  static final int USAGE = 2;

  /**
   * The node or registry refused the request (an unknown flow, run or node, a conflict, an error of
   * its own).
   */
  static final int NODE = 3;

  /** No node or registry answers at the URL, or the connection to it broke. */
  static final int UNREACHABLE = 4;

  /**
   * Not authenticated: no token for the URL, or one that has expired or was refused; {@code koco
   * login} fixes it.
   */
  static final int AUTH = 5;

  /** The help section that lists the codes; {@code key:description} as picocli wants it. */
  static final String[] LIST = {
    "  0:success; for a run: it ended done",
    "  1:the run ended in error or was killed, or the command failed",
    "  2:bad usage: unknown option, malformed --input or --query, invalid inputs, unknown flow class",
    "  3:the node or registry refused the request (unknown flow, run or node, conflict, its own error)",
    "  4:no node or registry answers at the URL, or the connection broke",
    "  5:not logged in: no token for the URL, or it expired or was refused (koco login)",
    "130:interrupted by Ctrl-C (koco run first kills its run)"
  };

  private Exit() {}

  /** The exit code for a run that ended in {@code state}. */
  static int of(RunState state) {
    return state == RunState.DONE ? OK : FAILED;
  }

  /**
   * The exit code for a run whose stream ended with {@code terminal} ({@code final}, {@code fatal},
   * {@code kill}).
   */
  static int of(EventType terminal) {
    return terminal == EventType.FINAL ? OK : FAILED;
  }
}
