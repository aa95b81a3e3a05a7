package dev.kodo.web;

import dev.kodo.client.Deadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request's work a {@link Deadline} of {@code kodo.http.request-timeout} (default 10 s;
 * 0 = none): loops a caller can make long check it and stop with 503 once it has passed. A live
 * stream's waiting is not work and is not limited. Stateless; thread-safe.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
final class DeadlineFilter extends OncePerRequestFilter {
  private final Duration timeout;

  DeadlineFilter(@Value("${kodo.http.request-timeout:10s}") Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Deadline.start(timeout);
    try {
      chain.doFilter(request, response);
    } finally {
      Deadline.clear();
    }
  }
}
