package dev.kodo.node;

import dev.kodo.client.KodoException;
import dev.kodo.client.TokenSupplier;
import dev.kodo.web.security.ClientToken;
import dev.kodo.web.security.LocalTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node's own identity for the calls its runs make to other nodes ({@code kodo_flow};
 * docs/security.md#the-node-calling-other-nodes): the token the embedded worker's {@link
 * dev.kodo.engine.RunEnvironment} carries. Which one, in this order:
 *
 * <ol>
 *   <li>auth off ({@code kodo.auth.enabled=false}): none;
 *   <li>a node client configured ({@code kodo.auth.client-id}/{@code client-secret}, the one the
 *       node announces itself to registries with): its client-credentials token from the auth
 *       provider, cached and fetched again before it expires ({@link ClientToken});
 *   <li>an auth provider in this process ({@code koco serve}): a token for {@code node:{name}}
 *       minted through {@link LocalTokens}, {@link #LIFETIME} long, renewed {@link #EARLY} before
 *       it expires;
 *   <li>else none.
 * </ol>
 *
 * Thread-safe. Never logs or prints a token.
 */
public final class NodeIdentityToken implements TokenSupplier {
  /** How long a token minted in this process lives. */
  public static final Duration LIFETIME = Duration.ofMinutes(10);

  /** How long before its expiry a minted token is replaced. */
  public static final Duration EARLY = Duration.ofMinutes(2);

  private final boolean authEnabled;
  private final ClientToken client;
  private final Supplier<Optional<LocalTokens>> local;
  private final String subject;
  private final Clock clock;
  private String minted;
  private Instant mintedExpires = Instant.MIN;

  /**
   * @param authEnabled {@code kodo.auth.enabled}
   * @param client the node's client ({@code kodo.auth.client-id}), configured or not
   * @param local the auth provider of this process, looked up when first needed
   * @param nodeName {@code kodo.node.name}; the subject is {@code node:{nodeName}}
   */
  public NodeIdentityToken(
      boolean authEnabled,
      ClientToken client,
      Supplier<Optional<LocalTokens>> local,
      String nodeName,
      Clock clock) {
    this.authEnabled = authEnabled;
    this.client = client;
    this.local = local;
    this.subject = "node:" + nodeName;
    this.clock = clock;
  }

  /** The subject the tokens name: {@code node:{name}}. */
  public String subject() {
    return subject;
  }

  /**
   * The token to send now, if the node has an identity.
   *
   * @throws KodoException when the auth provider refuses the node's client or cannot be reached
   *     (the message names the provider, never the secret)
   */
  @Override
  public Optional<String> token() {
    if (!authEnabled) return Optional.empty();
    if (client != null && client.configured()) {
      try {
        return client.bearer();
      } catch (IllegalStateException e) {
        throw new KodoException(
            "this node could not get its own token ("
                + subject
                + ", kodo.auth.client-id): "
                + e.getMessage());
      }
    }
    Optional<LocalTokens> tokens = local.get();
    if (tokens.isEmpty()) return Optional.empty();
    synchronized (this) {
      Instant now = clock.instant();
      if (minted == null || !now.isBefore(mintedExpires.minus(EARLY))) {
        minted = tokens.get().mint(subject, LIFETIME);
        mintedExpires = now.plus(LIFETIME);
      }
      return Optional.of(minted);
    }
  }

  /** After a 401: a fresh token (a new client-credentials token, or a newly minted one). */
  @Override
  public Optional<String> renew(String refused) {
    if (!authEnabled) return Optional.empty();
    if (client != null && client.configured()) {
      client.forget();
    } else {
      synchronized (this) {
        minted = null;
      }
    }
    return token();
  }

  @Override
  public synchronized Optional<Instant> expiresAt() {
    return minted == null ? Optional.empty() : Optional.of(mintedExpires);
  }

  @Override
  public String origin() {
    return "the node's own identity " + subject;
  }

  @Override
  public String remedy(String url) {
    return "grant "
        + subject
        + " access there, or give this node a client (docs/security.md#the-node-calling-other-nodes)";
  }

  @Override
  public String toString() {
    return "NodeIdentityToken[" + subject + "]";
  }
}
