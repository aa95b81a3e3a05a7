package dev.kodo.web.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The auth provider running in the same process (kodo-auth implements it): its issuer URL and its
 * signing keys. When such a bean exists, {@link KodoWebSecurity} verifies tokens with these keys
 * (no HTTP to itself) and requires this issuer; otherwise it reads {@code kodo.auth.jwks-uri}.
 */
public interface LocalIssuer {
  /** The {@code iss} of the tokens this provider signs. */
  String issuer();

  /** Its public keys, current and recently rotated out. */
  JWKSource<SecurityContext> keys();
}
