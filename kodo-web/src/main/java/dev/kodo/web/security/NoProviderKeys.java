package dev.kodo.web.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An empty key set for a process that runs no auth provider (a node with its provider elsewhere or
 * auth off, a registry): Spring Authorization Server's auto-configuration, on the class path for
 * {@code koco serve}, otherwise generates a 2048-bit RSA key at every start for a key set that
 * nothing here signs with or serves (docs/performance.md). With the provider on, its own keys
 * ({@code AuthModule}) take this place.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = "org.springframework.security.oauth2.server.authorization.OAuth2Authorization")
@ConditionalOnProperty(
    name = "kodo.auth.provider.enabled",
    havingValue = "false",
    matchIfMissing = true)
class NoProviderKeys {
  @Bean
  JWKSource<SecurityContext> emptyJwkSource() {
    return new ImmutableJWKSet<>(new JWKSet());
  }
}
