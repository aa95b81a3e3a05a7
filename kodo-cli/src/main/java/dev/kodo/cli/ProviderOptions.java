package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.KodoException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which auth provider a command talks to and the token it sends: {@code --url URL}, else {@code
 * $KODO_AUTH}, else {@code $KODO_NODE}, else {@value #DEFAULT_URL}, where {@code koco serve} hosts
 * the provider beside its node; the token as {@link CliTokens} finds it for that URL.
 */
final class ProviderOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:3370";
  static final String ENV = "KODO_AUTH";

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The node or auth provider (default: $"
              + ENV
              + ", else $KODO_NODE, else "
              + DEFAULT_URL
              + ", where koco serve hosts both).")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", description = CliTokens.OPTION_HELP)
  String token;

  /** The URL to use. */
  String url() {
    return resolve(url, System.getenv());
  }

  /** {@code given} unless blank, else {@code $KODO_AUTH}, else {@code $KODO_NODE}, else default. */
  static String resolve(String given, Map<String, String> env) {
    for (String u : new String[] {given, env.get(ENV), env.get("KODO_NODE")}) {
      if (u != null && !u.isBlank()) return u.strip();
    }
    return DEFAULT_URL;
  }

  /** A client of the provider that sends the caller's token. */
  AuthClient client() {
    String u = url();
    try {
      return AuthClient.connect(u, CliTokens.forUrl(u, token));
    } catch (KodoException | IllegalArgumentException e) {
      throw CliException.usage("--url: " + e.getMessage());
    }
  }
}
