package dev.kodo.auth.oidc;

import dev.kodo.web.security.LocalIssuer;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Authorization Server under {@code /auth} (docs/security.md#auth-provider): OIDC discovery
 * at {@code /auth/.well-known/openid-configuration}, the JWKS at {@code /auth/oauth2/jwks} and the
 * token endpoint at {@code /auth/oauth2/token} (client credentials for node and worker clients).
 * Its filter chain matches only those endpoints, below {@code /auth/}, and comes before the
 * services' own chain ({@code KodoWebSecurity}), which guards everything else. The issuer path
 * {@code /auth} is taken from the request (multiple-issuer mode, see docs/decisions.md); the {@code
 * iss} of tokens and of the discovery document is the configured one.
 */
@Configuration(proxyBeanMethods = false)
public class AuthServerSecurity {
  /** Before every other chain: the services' chain would otherwise ask for a token here. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  @Bean
  AuthorizationServerSettings authorizationServerSettings() {
    return AuthorizationServerSettings.builder().multipleIssuersAllowed(true).build();
  }

  @Bean
  @Order(ORDER)
  SecurityFilterChain authServerFilterChain(HttpSecurity http, LocalIssuer issuer)
      throws Exception {
    RequestMatcher underAuth = PathPatternRequestMatcher.withDefaults().matcher("/auth/**");
    http.oauth2AuthorizationServer(
        as -> {
          http.securityMatcher(new AndRequestMatcher(underAuth, as.getEndpointsMatcher()));
          as.oidc(
              oidc ->
                  oidc.providerConfigurationEndpoint(
                      p -> p.providerConfigurationCustomizer(b -> b.issuer(issuer.issuer()))));
        });
    http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.disable())
        .requestCache(r -> r.disable())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                    (request, response, ex) -> {
                      response.setStatus(401);
                      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                      response
                          .getOutputStream()
                          .write(
                              ("{\"type\":\"about:blank\",\"title\":\"Authentication required\","
                                      + "\"status\":401,\"detail\":\"this endpoint needs client"
                                      + " credentials or a bearer token\"}")
                                  .getBytes(StandardCharsets.UTF_8));
                    }));
    return http.build();
  }
}
