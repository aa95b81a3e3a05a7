package dev.kodo.web.security;

import dev.kodo.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} when a bearer token could not be checked because the auth
 * provider's keys (its JWKS) could not be fetched: the provider is down, slow or unreachable
 * (docs/security.md#when-the-provider-is-away). Spring Security rethrows such a failure out of its
 * bearer-token filter (it is not the caller's fault, so no 401), which would otherwise end as a
 * 500; this filter sits in front of it. A token that does not verify is still a 401.
 */
final class IssuerUnavailableFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(IssuerUnavailableFilter.class);

  /** Seconds a client should wait before it tries again. */
  static final int RETRY_AFTER = 5;

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (AuthenticationServiceException e) {
      log.warn("a bearer token could not be checked: {}", e.getMessage());
      if (response.isCommitted()) {
        throw e;
      }
      response.resetBuffer();
      response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER));
      Problems.write(
          response,
          503,
          "Auth provider unavailable",
          "the bearer token could not be checked because the auth provider's keys could not be"
              + " fetched (kodo.auth.issuer); try again shortly");
    }
  }
}
