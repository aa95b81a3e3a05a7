package dev.kodo.cli;

import dev.kodo.client.TokenSupplier;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.ClientToken;
import java.util.Map;
import java.util.Optional;

/**
 * The token a stand-alone worker's runs send when a crew's {@code kodo_flow} calls a node
 * (docs/security.md#the-node-calling-other-nodes): the worker's own OAuth2 client, given as {@code
 * KODO_AUTH_ISSUER}, {@code KODO_AUTH_CLIENT_ID} and {@code KODO_AUTH_CLIENT_SECRET} (a {@code
 * worker} client made with {@code koco client create}); without them, none. Never prints the secret
 * or the token.
 */
final class WorkerToken implements TokenSupplier {
  private final ClientToken client;
  private final String clientId;

  private WorkerToken(ClientToken client, String clientId) {
    this.client = client;
    this.clientId = clientId;
  }

  /** The worker's token from {@code env}, or {@link TokenSupplier#NONE} when no client is set. */
  static TokenSupplier from(Map<String, String> env) {
    String issuer = env.getOrDefault("KODO_AUTH_ISSUER", "").strip();
    String id = env.getOrDefault("KODO_AUTH_CLIENT_ID", "").strip();
    String secret = env.getOrDefault("KODO_AUTH_CLIENT_SECRET", "");
    if (id.isEmpty() && secret.isEmpty()) return TokenSupplier.NONE;
    if (issuer.isEmpty() || id.isEmpty() || secret.isEmpty()) {
      throw CliException.usage(
          "a worker's client needs KODO_AUTH_ISSUER, KODO_AUTH_CLIENT_ID and"
              + " KODO_AUTH_CLIENT_SECRET together; missing: "
              + String.join(
                  ", ",
                  java.util.stream.Stream.of(
                          issuer.isEmpty() ? "KODO_AUTH_ISSUER" : null,
                          id.isEmpty() ? "KODO_AUTH_CLIENT_ID" : null,
                          secret.isEmpty() ? "KODO_AUTH_CLIENT_SECRET" : null)
                      .filter(java.util.Objects::nonNull)
                      .toList()));
    }
    if (!issuer.startsWith("http://") && !issuer.startsWith("https://")) {
      throw CliException.usage(
          "KODO_AUTH_ISSUER must be the auth provider's http(s) URL, e.g."
              + " http://127.0.0.1:3370/auth, not '"
              + issuer
              + "'");
    }
    AuthProperties p = new AuthProperties();
    p.setIssuer(issuer);
    p.setClientId(id);
    p.setClientSecret(secret);
    return new WorkerToken(new ClientToken(p), id);
  }

  @Override
  public Optional<String> token() {
    return client.bearer();
  }

  @Override
  public Optional<String> renew(String refused) {
    client.forget();
    return client.bearer();
  }

  @Override
  public String origin() {
    return "the worker's client " + clientId;
  }
}
