package dev.kodo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code koco} in this JVM and keeps what it printed. */
record Cli(int exitCode, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Koco.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** Runs {@code koco args option url}, e.g. a client command against {@code --node URL}. */
  static Cli runAt(String option, String url, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = option;
    all[args.length + 1] = url;
    return run(all);
  }

  /** {@link #runAt} with {@code terminal} standing for the console. */
  static Cli runAt(Terminal terminal, String option, String url, String... args) throws Exception {
    try (AutoCloseable t = Terminal.install(terminal)) {
      return runAt(option, url, args);
    }
  }
}
