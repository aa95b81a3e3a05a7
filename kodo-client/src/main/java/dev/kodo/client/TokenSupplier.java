package dev.kodo.client;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a client ({@link NodeClient}, {@link RegistryClient}, {@link AuthClient}) gets the bearer
 * token it sends as {@code Authorization: Bearer …}
 * (docs/security.md#the-command-line-and-its-tokens): none, a fixed one ({@code --token}, {@code
 * $KODO_TOKEN}), or the one kept in the {@link CredentialStore} for the service's URL, refreshed
 * when it has expired ({@link StoredTokenSupplier}). Implementations are thread-safe.
 */
public interface TokenSupplier {

  /** No token: requests go without {@code Authorization}. */
  TokenSupplier NONE = Optional::empty;

  /** The token to send now, if there is one. */
  Optional<String> token();

  /**
   * Called after the service answered 401 to {@code refused}: a new token if one can be had (a
   * refresh), else empty, and the request fails with a {@link NotAuthenticatedException}.
   */
  default Optional<String> renew(String refused) {
    return Optional.empty();
  }

  /** When the current token expires, if known. */
  default Optional<Instant> expiresAt() {
    return Optional.empty();
  }

  /** Whether the current token has expired by its {@link #expiresAt()}; false if unknown. */
  default boolean expired() {
    return expiresAt().map(e -> !Instant.now().isBefore(e)).orElse(false);
  }

  /** Whose token it is and where it comes from, for messages, e.g. {@code the token given}. */
  default String origin() {
    return "the token given";
  }

  /**
   * Why the last renewal failed, for messages (e.g. {@code the auth provider refused the refresh
   * token}); empty if there was none or it did not fail.
   */
  default Optional<String> renewalProblem() {
    return Optional.empty();
  }

  /**
   * What to do when the service refuses the token, e.g. {@code log in with `koco login --url U`}.
   */
  default String remedy(String url) {
    return "log in again with `koco login --url " + url + "`";
  }

  /** No token: requests go without {@code Authorization}. */
  static TokenSupplier none() {
    return NONE;
  }

  /**
   * Always {@code token} (null or blank: none), e.g. from {@code --token} or {@code $KODO_TOKEN};
   * {@code origin} says where it came from.
   */
  static TokenSupplier fixed(String token, String origin) {
    if (token == null || token.isBlank()) return none();
    String t = token.strip();
    return new TokenSupplier() {
      @Override
      public Optional<String> token() {
        return Optional.of(t);
      }

      @Override
      public String origin() {
        return origin;
      }

      @Override
      public String remedy(String url) {
        return "give a valid token, or unset it and log in with `koco login --url " + url + "`";
      }
    };
  }
}
