package dev.kodo.web.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the tokens another decoder has accepted until they expire, so that a client sending the
 * same bearer token on every request has it parsed, its signature checked and its claims validated
 * once, not on every request (about a tenth of a launch's CPU with auth on;
 * docs/security.md#tokens-on-every-request). Kodo's tokens are self-contained — nothing revokes one
 * before its {@code exp} — so a token accepted once stays acceptable until then by the same rules,
 * with one difference: a token signed with a key the provider stops publishing stays accepted here
 * until its {@code exp} (docs/decisions.md, "Accepted tokens are remembered"). Rejected tokens are
 * not remembered. Tokens are kept by their SHA-256, never as themselves; at most {@link
 * #MAX_TOKENS}. Thread-safe.
 */
final class CachingJwtDecoder implements JwtDecoder {
  static final int MAX_TOKENS = 1_024;

  private final JwtDecoder delegate;
  private final Clock clock;
  private final Map<String, Jwt> accepted = new ConcurrentHashMap<>();

  CachingJwtDecoder(JwtDecoder delegate) {
    this(delegate, Clock.systemUTC());
  }

  CachingJwtDecoder(JwtDecoder delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    if (token == null) return delegate.decode(null);
    String key = sha256(token);
    Instant now = clock.instant();
    Jwt seen = accepted.get(key);
    if (seen != null && now.isBefore(seen.getExpiresAt())) {
      return seen;
    }
    if (seen != null) {
      accepted.remove(key, seen);
    }
    Jwt jwt = delegate.decode(token);
    // Only a token with an expiry is remembered (the validators require one), and only until then.
    if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
      if (accepted.size() >= MAX_TOKENS) {
        forgetExpired(now);
        if (accepted.size() >= MAX_TOKENS) accepted.clear();
      }
      accepted.put(key, jwt);
    }
    return jwt;
  }

  /** How many accepted tokens are remembered now. */
  int size() {
    return accepted.size();
  }

  private void forgetExpired(Instant now) {
    accepted.values().removeIf(j -> !now.isBefore(j.getExpiresAt()));
  }

  private static String sha256(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
