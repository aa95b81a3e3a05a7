package dev.kodo.cli;

import dev.kodo.client.KodoException;
import dev.kodo.client.NodeException;
import dev.kodo.client.RegistryClient;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Which registry a client command talks to: {@code --registry URL}, else the first entry of {@code
 * $KODO_REGISTRY} (comma-separated, like a node's {@code kodo.registries}), else {@value
 * #DEFAULT_URL}, the port {@code koco serve} listens on; and the token it sends ({@link
 * CliTokens}).
 */
final class RegistryUrlOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:3370";
  static final String ENV = "KODO_REGISTRY";
  static final String DESCRIPTION =
      "The registry's URL (default: $" + ENV + ", else " + DEFAULT_URL + ").";

  @Option(names = "--registry", paramLabel = "URL", description = DESCRIPTION)
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", description = CliTokens.OPTION_HELP)
  String token;

  RegistryClient client() {
    return client(url, token);
  }

  /**
   * Calls the registry; a 404 from something that is no registry at all says so, instead of "not
   * found".
   */
  <T> T call(Function<RegistryClient, T> call) {
    return call(client(), call);
  }

  static RegistryClient client(String given) {
    return client(given, null);
  }

  /** A client of the registry at {@code given} (else the default) that sends {@code token}. */
  static RegistryClient client(String given, String token) {
    String u = resolve(given, System.getenv());
    try {
      return RegistryClient.connect(u, CliTokens.forUrl(u, token));
    } catch (KodoException | IllegalArgumentException e) {
      throw CliException.usage("--registry: " + e.getMessage());
    }
  }

  /**
   * The URL to use: {@code given} unless blank, else the first entry of {@code $KODO_REGISTRY},
   * else the default.
   */
  static String resolve(String given, Map<String, String> env) {
    if (given != null && !given.isBlank()) {
      return given.strip();
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null) {
      for (String entry : fromEnv.split(",")) {
        if (!entry.isBlank()) {
          return entry.strip();
        }
      }
    }
    return DEFAULT_URL;
  }

  static <T> T call(RegistryClient client, Function<RegistryClient, T> call) {
    try {
      return call.apply(client);
    } catch (NodeException e) {
      if (e.status() == 404 && !isRegistry(client)) {
        throw new CliException(
            Exit.NODE,
            "no registry at "
                + client.url()
                + ": what answers there has no GET /registry/state"
                + " (a node started with `koco node` serves none: point --registry or $"
                + ENV
                + " at the registry it announces"
                + " itself to; `koco serve` serves one on its own port, `koco registry` one alone on port 3371)");
      }
      throw e;
    }
  }

  /** Whether what answers at the client's URL is a registry; true when it cannot tell. */
  private static boolean isRegistry(RegistryClient client) {
    try {
      client.state();
      return true;
    } catch (NodeException e) {
      return e.status() != 404;
    } catch (RuntimeException cannotTell) {
      return true;
    }
  }
}
