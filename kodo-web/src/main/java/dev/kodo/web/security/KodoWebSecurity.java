package dev.kodo.web.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Role;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The filter chain of every Kodo service (docs/security.md#tokens-on-every-request): stateless, no
 * sessions, no CSRF (BrowserGuard covers browsers); every path needs a valid bearer token except
 * health, login, refresh, discovery, JWKS, the token endpoint and {@code /error}. Tokens are JWTs
 * signed RS256 by the issuer ({@link LocalIssuer} in the same process, else {@code
 * kodo.auth.jwks-uri}), for {@code kodo.auth.issuer} and the audience {@code kodo.auth.audience},
 * not expired. The actuator (but health) is for operators; Prometheus may also scrape with {@code
 * kodo.auth.scrape-token} ({@link ScrapeTokenFilter}). With {@code kodo.auth.enabled=false}
 * everything is open and every caller is {@link Caller#NO_AUTH}, which is refused unless the
 * service listens on loopback only. Services read the caller with {@link Callers#current()}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(AuthProperties.class)
public class KodoWebSecurity {
  private static final Logger log = LoggerFactory.getLogger(KodoWebSecurity.class);

  /** How long fetching the auth provider's keys (JWKS) may take before the request gets a 503. */
  static final java.time.Duration JWKS_TIMEOUT = java.time.Duration.ofSeconds(5);

  /** Paths anyone may call without a token. */
  public static final List<String> PUBLIC_PATHS =
      List.of(
          "/api/actuator/health/**",
          "/auth/login",
          "/auth/refresh",
          "/auth/.well-known/**",
          "/auth/oauth2/jwks",
          "/auth/oauth2/token",
          "/error");

  @Bean
  SecurityFilterChain kodoSecurityFilterChain(
      HttpSecurity http,
      AuthProperties auth,
      Environment env,
      ObjectProvider<LocalIssuer> localIssuer)
      throws Exception {
    AuthProblems problems = new AuthProblems();
    http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(c -> c.disable())
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        .headers(h -> h.cacheControl(c -> c.disable()))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    if (!auth.isEnabled()) {
      requireLoopback(env);
      log.warn("auth is off (--no-auth): every caller of this service is an operator");
      http.anonymous(a -> a.disable())
          .addFilterBefore(new NoAuthFilter(), AuthorizationFilter.class)
          .authorizeHttpRequests(a -> a.anyRequest().permitAll());
      return http.build();
    }
    JwtDecoder decoder = decoder(auth, localIssuer.getIfAvailable());
    ClaimMapping mapping = new ClaimMapping(auth);
    http.authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers(PUBLIC_PATHS.toArray(String[]::new))
                    .permitAll()
                    .requestMatchers(ScrapeTokenFilter.PATH)
                    .hasAnyAuthority(
                        CallerAuthentication.authority(Role.OPERATOR), ScrapeTokenFilter.AUTHORITY)
                    .requestMatchers("/api/actuator/**")
                    .hasAuthority(CallerAuthentication.authority(Role.OPERATOR))
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            o ->
                o.authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(converter(mapping))));
    http.addFilterBefore(new IssuerUnavailableFilter(), BearerTokenAuthenticationFilter.class);
    if (!auth.getScrapeToken().isEmpty()) {
      http.addFilterBefore(
          new ScrapeTokenFilter(auth.getScrapeToken()), BearerTokenAuthenticationFilter.class);
    }
    return http.build();
  }

  /**
   * Spring Security's request firewall, with two of its refusals left to the services, which answer
   * them better: an unknown HTTP method reaches Spring MVC (405 with {@code Allow}, as before
   * auth), and so does a path with an encoded period ({@code %2e}), which Tomcat decodes and
   * normalises before any path matching (the firewall still refuses a path that is not normalised,
   * encoded slashes, backslashes, semicolons and control characters).
   */
  @Bean
  WebSecurityCustomizer kodoFirewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setUnsafeAllowAnyHttpMethod(true);
    firewall.setAllowUrlEncodedPeriod(true);
    return web -> web.httpFirewall(firewall);
  }

  /**
   * No Micrometer observation per security filter, authentication or authorization: with an
   * observation registry present, Spring Security otherwise wraps each of a request's dozen filters
   * in two observations, which added some 45 frames to every request's stack (and to every parked
   * SSE stream's) and a fifth of a no-op request's CPU. Each request is still observed once, as
   * {@code http.server.requests} (docs/decisions.md, "No observations per security filter").
   */
  @Bean
  SecurityObservationSettings kodoSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  /** The grants this service decides with, cached for {@code kodo.auth.grants-refresh}. */
  @Bean
  CachedGrants cachedGrants(
      AuthProperties auth, ObjectProvider<GrantSource> sources, ClientToken clientToken) {
    if (!auth.isEnabled()) return CachedGrants.none();
    GrantSource local = sources.getIfAvailable();
    if (local != null) return new CachedGrants(local, auth.getGrantsRefresh());
    if (!auth.getIssuer().isEmpty()) {
      return new CachedGrants(new HttpGrantSource(auth, clientToken), auth.getGrantsRefresh());
    }
    return CachedGrants.none();
  }

  /**
   * Verifies tokens kept by pages (docs/ui.md#login); none with auth off. Lazy, so that it reads
   * the issuer only when a page asks.
   */
  @Bean
  @org.springframework.context.annotation.Lazy
  TokenVerifier tokenVerifier(AuthProperties auth, ObjectProvider<LocalIssuer> localIssuer) {
    return new TokenVerifier(decoder(auth, localIssuer.getIfAvailable()), new ClaimMapping(auth));
  }

  /** This service's own client token (empty when kodo.auth.client-id is not set). */
  @Bean
  ClientToken clientToken(AuthProperties auth) {
    return new ClientToken(auth);
  }

  static void requireLoopback(Environment env) {
    String address = env.getProperty("server.address", "");
    boolean loopback = false;
    if (!address.isBlank()) {
      try {
        loopback = InetAddress.getByName(address.trim()).isLoopbackAddress();
      } catch (UnknownHostException e) {
        loopback = false;
      }
    }
    if (!loopback) {
      throw new AuthSetupException(
          "--no-auth (kodo.auth.enabled=false) makes every caller an operator, so it is only allowed"
              + " on a loopback address, and server.address is "
              + (address.isBlank() ? "not set (every interface)" : "'" + address + "'"),
          "Listen on 127.0.0.1 (server.address / --host 127.0.0.1), or turn auth on"
              + " (kodo.auth.enabled=true with kodo.auth.issuer).");
    }
  }

  static JwtDecoder decoder(AuthProperties auth, LocalIssuer local) {
    java.util.function.Supplier<String> issuer;
    NimbusJwtDecoder decoder;
    if (local != null) {
      // read when a token is checked, not now: an in-process provider on a random port (--port 0)
      // knows its issuer URL only once the web server has started
      issuer = local::issuer;
      decoder = new NimbusJwtDecoder(processor(local.keys()));
    } else if (!auth.getIssuer().isEmpty()) {
      String configured = auth.getIssuer();
      issuer = () -> configured;
      decoder =
          NimbusJwtDecoder.withJwkSetUri(auth.jwks())
              .jwsAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.RS256)
              .restOperations(jwksClient())
              .build();
    } else {
      throw new AuthSetupException(
          "auth is on but this service knows no issuer to accept tokens from: kodo.auth.issuer is"
              + " not set and no auth provider runs in this process (set kodo.auth.issuer, or --no-auth on"
              + " loopback)",
          "Set kodo.auth.issuer (KODO_AUTH_ISSUER) to the auth provider's issuer URL, e.g."
              + " http://127.0.0.1:3370/auth, or run with --no-auth (kodo.auth.enabled=false) on a"
              + " loopback address.");
    }
    decoder.setJwtValidator(validator(issuer, auth.getAudience()));
    return new CachingJwtDecoder(decoder);
  }

  /**
   * Fetches the provider's keys with bounded waits, so a provider that does not answer costs a
   * request {@link #JWKS_TIMEOUT} at most and ends as a 503 ({@link IssuerUnavailableFilter}).
   */
  private static org.springframework.web.client.RestOperations jwksClient() {
    var factory = new org.springframework.http.client.SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(JWKS_TIMEOUT);
    factory.setReadTimeout(JWKS_TIMEOUT);
    return new org.springframework.web.client.RestTemplate(factory);
  }

  private static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys) {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    // Spring checks the claims (validator below); Nimbus only the signature.
    p.setJWTClaimsSetVerifier((claims, context) -> {});
    return p;
  }

  static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
    return validator(() -> issuer, audience);
  }

  /** As {@link #validator(String, String)}, with the issuer read at each check. */
  static OAuth2TokenValidator<Jwt> validator(
      java.util.function.Supplier<String> issuer, String audience) {
    return new DelegatingOAuth2TokenValidator<>(
        new JwtTimestampValidator(),
        new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
        jwt -> new JwtIssuerValidator(issuer.get()).validate(jwt),
        new AudienceValidator(audience));
  }

  private static Converter<Jwt, AbstractAuthenticationToken> converter(ClaimMapping mapping) {
    return jwt -> {
      try {
        return new CallerAuthentication(mapping.caller(jwt.getClaims()));
      } catch (IllegalArgumentException e) {
        throw new InvalidBearerTokenException(e.getMessage());
      }
    };
  }

  /** The token's {@code aud} must hold the configured audience. */
  private record AudienceValidator(String audience) implements OAuth2TokenValidator<Jwt> {
    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
      List<String> aud = jwt.getAudience();
      if (aud != null && aud.contains(audience)) return OAuth2TokenValidatorResult.success();
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error(
              "invalid_token", "the token is not for the audience '" + audience + "'", null));
    }
  }

  /** With auth off, every request acts for {@link Caller#NO_AUTH}. */
  private static final class NoAuthFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      SecurityContextHolder.setContext(
          new SecurityContextImpl(new CallerAuthentication(Caller.NO_AUTH)));
      chain.doFilter(request, response);
    }
  }
}
