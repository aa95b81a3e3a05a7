package dev.kodo.auth.login;

import dev.kodo.auth.store.AuthStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Refresh tokens for people (docs/security.md#tokens): 256 random bits, stored as their SHA-256 so
 * the store never holds one that works; each is used once ({@code /auth/refresh} hands out a new
 * one). Thread-safe.
 */
public final class RefreshTokens {
  private final AuthStore store;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public RefreshTokens(AuthStore store, Duration ttl, Clock clock) {
    this.store = store;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A new refresh token for {@code username}. */
  public String issue(String username) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.millis();
    store.addRefreshToken(hash(token), username, now, now + ttl.toMillis());
    return token;
  }

  /** The user {@code token} was issued to, if it is known and not expired; it is used up. */
  public Optional<String> redeem(String token) {
    return store.takeRefreshToken(hash(token), clock.millis());
  }

  static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
