package dev.kodo.auth.oidc;

import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Spring Authorization Server's view of the provider's clients table
 * (docs/security.md#auth-provider): every node or worker client may use client credentials (secret
 * by HTTP Basic or in the form), nothing else; its tokens are self-contained JWTs valid for the
 * access-token TTL. Clients are added through {@code POST /auth/clients}, never through this
 * repository.
 */
public final class StoreRegisteredClients implements RegisteredClientRepository {
  private final AuthStore store;
  private final Duration accessTokenTtl;

  public StoreRegisteredClients(AuthStore store, Duration accessTokenTtl) {
    this.store = store;
    this.accessTokenTtl = accessTokenTtl;
  }

  /**
   * Keeps a re-encoded secret (Spring Authorization Server saves a client whose secret hash it
   * upgraded after a successful authentication); clients themselves are added through {@code POST
   * /auth/clients}, never here.
   */
  @Override
  public void save(RegisteredClient registeredClient) {
    String secret = registeredClient.getClientSecret();
    if (secret != null && store.client(registeredClient.getClientId()).isPresent()) {
      store.setClientSecretHash(registeredClient.getClientId(), secret);
    }
  }

  @Override
  public RegisteredClient findById(String id) {
    return findByClientId(id);
  }

  @Override
  public RegisteredClient findByClientId(String clientId) {
    if (clientId == null || clientId.isEmpty()) return null;
    Optional<StoredClient> client = store.client(clientId);
    Optional<String> secret = store.clientSecretHash(clientId);
    if (client.isEmpty() || secret.isEmpty()) return null;
    return RegisteredClient.withId(clientId)
        .clientId(clientId)
        .clientIdIssuedAt(Instant.ofEpochMilli(client.get().created()))
        .clientSecret(secret.get())
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .tokenSettings(
            TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(accessTokenTtl)
                .build())
        .build();
  }
}
