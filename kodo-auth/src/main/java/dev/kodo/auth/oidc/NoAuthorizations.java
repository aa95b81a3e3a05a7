package dev.kodo.auth.oidc;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no authorizations: the provider's client tokens are self-contained JWTs, verified by their
 * signature, never looked up (no introspection, no revocation), so remembering each one would only
 * grow memory for as long as the process runs (docs/decisions.md).
 */
public final class NoAuthorizations implements OAuth2AuthorizationService {
  @Override
  public void save(OAuth2Authorization authorization) {
    // nothing to keep
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    // nothing kept
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return null;
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    return null;
  }
}
