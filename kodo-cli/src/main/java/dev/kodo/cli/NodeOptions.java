package dev.kodo.cli;

import dev.kodo.client.KodoException;
import dev.kodo.client.NodeClient;
import picocli.CommandLine.Option;

/** Which node a client command talks to, and the token it sends ({@link CliTokens}). */
final class NodeOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:3370";

  @Option(
      names = "--node",
      paramLabel = "URL",
      defaultValue = "${env:KODO_NODE:-" + DEFAULT_URL + "}",
      description = "The node's URL (default: $KODO_NODE, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", description = CliTokens.OPTION_HELP)
  String token;

  NodeClient client() {
    try {
      return NodeClient.connect(url, CliTokens.forUrl(url, token));
    } catch (KodoException | IllegalArgumentException e) {
      throw CliException.usage("--node: " + e.getMessage());
    }
  }
}
