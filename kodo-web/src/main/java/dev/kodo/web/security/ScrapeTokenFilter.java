package dev.kodo.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a Prometheus server scrape {@link #PATH} with {@code kodo.auth.scrape-token}
 * (docs/operations.md#the-scrape-token): a request to that path whose bearer token equals it
 * (compared in constant time) is authenticated as the scraper, which holds only {@link #AUTHORITY},
 * and its {@code Authorization} header is hidden from the JWT filter behind it. Any other request,
 * or another token, passes on untouched: an operator's token still scrapes, a wrong token is a JWT
 * that does not verify (401), a user's token lacks the role (403). Thread-safe; never logs the
 * token.
 */
final class ScrapeTokenFilter extends OncePerRequestFilter {
  /** The one path the scrape token opens. */
  static final String PATH = "/api/actuator/prometheus";

  /** The authority of a request that showed the scrape token. */
  static final String AUTHORITY = "kodo:scrape";

  private final byte[] token;

  ScrapeTokenFilter(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (PATH.equals(request.getRequestURI())
        && matches(request.getHeader(HttpHeaders.AUTHORIZATION))) {
      SecurityContextHolder.setContext(new SecurityContextImpl(new Scraper()));
      chain.doFilter(new WithoutAuthorization(request), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private boolean matches(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  /** The scraper: no subject, no role, only {@link #AUTHORITY}. */
  private static final class Scraper extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    Scraper() {
      super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return "scraper";
    }
  }

  /** The request with its {@code Authorization} header hidden. */
  private static final class WithoutAuthorization extends HttpServletRequestWrapper {
    WithoutAuthorization(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getHeader(String name) {
      return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name)
          ? Collections.emptyEnumeration()
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(
          Collections.list(super.getHeaderNames()).stream()
              .filter(n -> !HttpHeaders.AUTHORIZATION.equalsIgnoreCase(n))
              .toList());
    }
  }
}
