package dev.kodo.ui.security;

import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.TokenVerifier;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.SessionCookieConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The web UI's filter chain (docs/ui.md#security), ordered before the API's: only the UI's paths
 * ({@link UiPages}); a server-side session in the cookie {@value #COOKIE} (HttpOnly, SameSite=Lax);
 * CSRF tokens on every form; a strict Content-Security-Policy that allows no inline script or style
 * and nothing from other origins; a logged-out visitor is sent to {@code /login}. With auth off
 * every page is open and acts for the operator of a loopback node.
 */
@Configuration(proxyBeanMethods = false)
public class UiSecurity {
  /** Before the API's chain (which matches every request) and the auth server's. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

  /** The session cookie's name. */
  public static final String COOKIE = "kodo_session";

  /** What pages may load and run: only this origin's scripts, styles and connections. */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";

  @Bean
  @Order(ORDER)
  SecurityFilterChain kodoUiFilterChain(
      HttpSecurity http,
      UiPages pages,
      AuthProperties auth,
      ObjectProvider<TokenVerifier> verifier,
      UiLogins logins)
      throws Exception {
    http.securityMatcher(pages::serves)
        .securityContext(
            c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
        .requestCache(c -> c.disable())
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        .headers(
            h ->
                h.contentSecurityPolicy(c -> c.policyDirectives(CSP))
                    .frameOptions(f -> f.deny())
                    .referrerPolicy(
                        r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
        .addFilterBefore(
            new UiSession(auth.isEnabled(), verifier, logins), AuthorizationFilter.class)
        .exceptionHandling(
            e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(
                        DispatcherType.ASYNC, DispatcherType.ERROR, DispatcherType.FORWARD)
                    .permitAll()
                    .requestMatchers("/login", "/ui/**", "/webjars/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated());
    return http.build();
  }

  /** The session cookie: {@value #COOKIE}, HttpOnly, SameSite=Lax, for the whole site. */
  @Bean
  ServletContextInitializer kodoUiSessionCookie() {
    return context -> {
      SessionCookieConfig c = context.getSessionCookieConfig();
      c.setName(COOKIE);
      c.setHttpOnly(true);
      c.setPath("/");
      c.setAttribute("SameSite", "Lax");
    };
  }
}
