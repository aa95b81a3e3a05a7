package dev.kodo.cli;

import dev.kodo.client.CredentialStore;
import dev.kodo.client.StoredTokenSupplier;
import dev.kodo.client.TokenSupplier;
import java.util.Map;

/**
 * Which token a client command sends to its URL (docs/security.md#the-command-line-and-its-tokens):
 * {@code --token}, else {@code $KODO_TOKEN}, else the one {@code koco login} (or, for the local
 * operator, {@code koco serve}) kept for that URL in the user's {@link CredentialStore}, renewed
 * when it has expired; else none. A token kept for one URL is never sent to another. Stateless.
 */
final class CliTokens {
  /** The environment variable whose token wins over the stored one. */
  static final String ENV = "KODO_TOKEN";

  /** The {@code --token} option's help, shared by every command that has it. */
  static final String OPTION_HELP =
      "A bearer token to send instead of the one koco login stored for the URL (default: $"
          + ENV
          + "). An option's value shows in process lists: prefer $"
          + ENV
          + ".";

  private CliTokens() {}

  /** The tokens for {@code url} in this process: {@code given}, $KODO_TOKEN, the user's store. */
  static TokenSupplier forUrl(String url, String given) {
    return forUrl(url, given, System.getenv(), CredentialStore.standard());
  }

  static TokenSupplier forUrl(
      String url, String given, Map<String, String> env, CredentialStore store) {
    if (given != null && !given.isBlank()) {
      return TokenSupplier.fixed(given, "the token given with --token");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return TokenSupplier.fixed(fromEnv, "the token in $" + ENV);
    }
    try {
      return StoredTokenSupplier.of(store, url);
    } catch (IllegalArgumentException notABaseUrl) {
      // The client refuses such a URL itself, with a better message: no token to look up for it.
      return TokenSupplier.none();
    }
  }
}
