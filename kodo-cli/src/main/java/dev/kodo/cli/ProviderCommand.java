package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.CredentialStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to an auth provider ({@code koco login}, {@code whoami}, {@code user},
 * {@code group}, {@code grant}, {@code client}): the {@code --url} and {@code --token} options and
 * the command's output. Not thread-safe: picocli fills one in and calls it once.
 */
abstract class ProviderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProviderOptions provider;

  /** The provider, with the caller's token. */
  AuthClient auth() {
    return provider.client();
  }

  /** The user's token store. */
  static CredentialStore store() {
    return CredentialStore.standard();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** A person's secret: from standard input with {@code --password-stdin}, else asked unseen. */
  static String secret(boolean fromStdin, String prompt, String optionHint) {
    Terminal t = Terminal.current();
    if (fromStdin) {
      String line = t.readStandardInput();
      if (line == null || line.isEmpty()) {
        throw CliException.usage("--password-stdin: standard input holds no password line");
      }
      return line;
    }
    if (!t.interactive()) {
      throw CliException.usage(
          "no terminal to ask the password on: pipe it with --password-stdin" + optionHint);
    }
    String s = t.askSecret(prompt);
    if (s == null || s.isEmpty()) {
      throw new CliException(Exit.FAILED, "no password given");
    }
    return s;
  }

  /** A new password, asked twice unless it comes from standard input. */
  static String newSecret(boolean fromStdin, String prompt) {
    String first = secret(fromStdin, prompt, "");
    if (!fromStdin) {
      String again = Terminal.current().askSecret("Again: ");
      if (!first.equals(again)) {
        throw new CliException(Exit.FAILED, "the two passwords differ; nothing was changed");
      }
    }
    return first;
  }
}
