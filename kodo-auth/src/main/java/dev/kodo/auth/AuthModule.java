package dev.kodo.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.kodo.auth.grants.StoreGrantSource;
import dev.kodo.auth.keys.AccessTokens;
import dev.kodo.auth.keys.SigningKeys;
import dev.kodo.auth.login.LoginThrottle;
import dev.kodo.auth.login.RefreshTokens;
import dev.kodo.auth.oidc.AuthServerSecurity;
import dev.kodo.auth.oidc.ClientTokenClaims;
import dev.kodo.auth.oidc.NoAuthorizations;
import dev.kodo.auth.oidc.ProviderIssuer;
import dev.kodo.auth.oidc.StoreRegisteredClients;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.store.StoreOptions;
import dev.kodo.web.security.GrantSource;
import dev.kodo.web.security.LocalIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The auth provider as a part of a Spring application (docs/security.md#auth-provider): its store,
 * signing keys, Spring Authorization Server under {@code /auth} and the {@code /auth/*} endpoints.
 * On when {@code kodo.auth.provider.enabled} is true: {@link AuthApplication} serves it alone
 * ({@code koco auth}); {@code koco serve} composes it into the node's process, where the node
 * verifies tokens with its {@link LocalIssuer} and reads grants from its {@link GrantSource}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kodo.auth.provider.enabled", havingValue = "true")
@EnableConfigurationProperties(AuthProviderProperties.class)
@Import(AuthServerSecurity.class)
@ComponentScan(
    basePackages = {
      "dev.kodo.auth.login",
      "dev.kodo.auth.users",
      "dev.kodo.auth.groups",
      "dev.kodo.auth.grants",
      "dev.kodo.auth.clients",
      "dev.kodo.auth.keys"
    })
public class AuthModule {
  private static final Logger log = LoggerFactory.getLogger(AuthModule.class);

  /** The provider's tables. */
  @Bean(destroyMethod = "close")
  AuthStore authStore(AuthProviderProperties p) {
    StoreOptions options = p.getStore().options(p.getData(), "auth.db");
    AuthStore store = AuthStore.open(options);
    if (p.getStore().getUrl() == null || p.getStore().getUrl().isBlank()) {
      ownerOnly(p.getData().resolve("auth.db"));
    }
    return store;
  }

  /**
   * The first start: creates the operator {@code admin} ({@link AdminBootstrap}) and remembers that
   * this start was the first, so that what runs beside the provider may add its own grants then and
   * never again (docs/security.md#bootstrap).
   */
  @Bean
  FirstStartGrants firstStartGrants(
      AuthStore store, PasswordEncoder passwords, AuthProviderProperties p) {
    return new FirstStartGrants(
        store, AdminBootstrap.run(store, passwords, p.getAdminPassword(), System.out));
  }

  /**
   * The SQLite file holds the private signing keys: readable by the service's user only, where the
   * file system knows POSIX permissions (SQLite gives its -wal and -shm files the same).
   */
  private static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      log.warn("could not make {} readable by its owner only: {}", file, e.toString());
    }
  }

  /** Passwords and client secrets: bcrypt, in Spring Security's {@code {id}hash} form. */
  @Bean
  PasswordEncoder authPasswordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  SigningKeys signingKeys(AuthStore store, AuthProviderProperties p) {
    return new SigningKeys(store, p.getAccessTokenTtl(), Clock.systemUTC());
  }

  /** The published keys: Spring Authorization Server serves them at {@code /auth/oauth2/jwks}. */
  @Bean
  JWKSource<SecurityContext> authJwkSource(SigningKeys keys) {
    return keys.publishedSource();
  }

  /** Signs with the current key only (the published set may hold several). */
  @Bean
  JwtEncoder authJwtEncoder(SigningKeys keys) {
    return new NimbusJwtEncoder(keys.signingSource());
  }

  @Bean
  ProviderIssuer providerIssuer(Environment env, SigningKeys keys) {
    return new ProviderIssuer(env, keys);
  }

  @Bean
  AccessTokens accessTokens(JwtEncoder encoder, LocalIssuer issuer) {
    return new AccessTokens(encoder, issuer, Clock.systemUTC());
  }

  @Bean
  OperatorTokens operatorTokens(AccessTokens tokens) {
    return new OperatorTokens(tokens);
  }

  @Bean
  StoreGrantSource storeGrantSource(AuthStore store) {
    return new StoreGrantSource(store);
  }

  @Bean
  RefreshTokens refreshTokens(AuthStore store, AuthProviderProperties p) {
    return new RefreshTokens(store, p.getRefreshTokenTtl(), Clock.systemUTC());
  }

  @Bean
  LoginThrottle loginThrottle(AuthProviderProperties p) {
    AuthProviderProperties.Login l = p.getLogin();
    return new LoginThrottle(
        l.getMaxFailuresPerUser(),
        l.getMaxFailuresPerAddress(),
        l.getWindow(),
        l.getMaxTracked(),
        Clock.systemUTC());
  }

  @Bean
  RegisteredClientRepository storeRegisteredClients(AuthStore store, AuthProviderProperties p) {
    return new StoreRegisteredClients(store, p.getAccessTokenTtl());
  }

  @Bean
  OAuth2AuthorizationService noAuthorizations() {
    return new NoAuthorizations();
  }

  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> clientTokenClaims(AuthStore store, LocalIssuer issuer) {
    return new ClientTokenClaims(store, issuer);
  }
}
