package dev.kodo.web.security;

import dev.kodo.client.access.Caller;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Checks an access token by the same rules as the API's filter chain (signature, issuer, audience,
 * expiry, claims; docs/security.md#tokens-on-every-request) and reads its caller; for pages that
 * keep a person's token in their server-side session (docs/ui.md#login). Thread-safe.
 */
public final class TokenVerifier {
  private final JwtDecoder decoder;
  private final ClaimMapping mapping;

  TokenVerifier(JwtDecoder decoder, ClaimMapping mapping) {
    this.decoder = decoder;
    this.mapping = mapping;
  }

  /** The token's caller; empty when the token is invalid or expired. */
  public Optional<Caller> verify(String token) {
    if (token == null || token.isBlank()) return Optional.empty();
    try {
      return Optional.of(mapping.caller(decoder.decode(token).getClaims()));
    } catch (JwtException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The caller as Spring Security holds it, so that {@link Callers#current()} reads it. */
  public static Authentication authentication(Caller caller) {
    return new CallerAuthentication(caller);
  }
}
