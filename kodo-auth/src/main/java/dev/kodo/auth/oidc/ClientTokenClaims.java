package dev.kodo.auth.oidc;

import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredClient;
import dev.kodo.client.access.KodoClaims;
import dev.kodo.web.security.LocalIssuer;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Gives a client-credentials token Kodo's claims (docs/security.md#tokens): {@code sub} {@code
 * node:{id}} or {@code worker:{id}}, {@code aud} {@code kodo}, empty {@code roles} and {@code
 * groups}, a {@code jti}, and the provider's configured {@code iss} (Spring Authorization Server
 * would otherwise take it from the request's host).
 */
public final class ClientTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {
  private final AuthStore store;
  private final LocalIssuer issuer;

  public ClientTokenClaims(AuthStore store, LocalIssuer issuer) {
    this.store = store;
    this.issuer = issuer;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
      return;
    }
    String clientId = context.getRegisteredClient().getClientId();
    StoredClient client =
        store
            .client(clientId)
            .orElseThrow(() -> new IllegalStateException("client " + clientId + " is gone"));
    context
        .getClaims()
        .issuer(issuer.issuer())
        .subject(client.subject())
        .audience(List.of(KodoClaims.AUDIENCE))
        .id(UUID.randomUUID().toString())
        .claim(KodoClaims.ROLES, List.of())
        .claim(KodoClaims.GROUPS, List.of())
        .claims(c -> c.remove("scope"));
  }
}
