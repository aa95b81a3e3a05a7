package dev.kodo.web;

import dev.kodo.client.Problem.FieldError;
import java.util.List;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds problem+json answers the way every Kodo service writes them, for a service's own exception
 * handlers (which run before the shared ones).
 */
public final class Problems {
  private Problems() {}

  public static ResponseEntity<ProblemDetail> of(
      HttpStatusCode status, String title, String detail, List<FieldError> errors) {
    return ProblemAdvice.problem(status, title, detail, errors);
  }

  /**
   * 503 with {@code Retry-After}: the service cannot do this at the moment (its store or cluster is
   * busy, restarting or stopping); the same request may succeed shortly.
   */
  public static ResponseEntity<ProblemDetail> unavailable() {
    return ProblemAdvice.unavailable();
  }

  /**
   * Writes a problem+json answer straight to a servlet response, for filters that answer before
   * Spring MVC runs (the security filter chain's 401 and 403).
   */
  public static void write(
      jakarta.servlet.http.HttpServletResponse response, int status, String title, String detail)
      throws java.io.IOException {
    ProblemAdvice.write(response, status, title, detail, null);
  }

  /** Text from a request, shortened and made safe to repeat in an answer. */
  public static String echo(String text) {
    return ProblemAdvice.echo(text);
  }
}
