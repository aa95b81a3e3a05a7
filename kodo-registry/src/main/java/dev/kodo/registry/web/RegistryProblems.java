package dev.kodo.registry.web;

import dev.kodo.client.Problem.FieldError;
import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.LimitExceededException;
import dev.kodo.registry.core.QuerySyntaxException;
import dev.kodo.registry.core.UnknownNodeException;
import dev.kodo.registry.outbound.TargetRefusedException;
import dev.kodo.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The registry core's exceptions as problem+json; everything else is answered by the shared {@code
 * dev.kodo.web} layer, which runs after this.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
final class RegistryProblems {

  /** A query that does not parse: 400 naming the column where the problem is. */
  @ExceptionHandler(QuerySyntaxException.class)
  ResponseEntity<ProblemDetail> querySyntax(QuerySyntaxException e) {
    String message = "at column " + e.position() + ": " + e.reason();
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "Invalid query",
        "invalid parameter 'query' " + message,
        List.of(new FieldError("query", message)));
  }

  /** Input the registry cannot accept: 400 naming the parameter or field. */
  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
    return fieldProblem(
        HttpStatus.BAD_REQUEST, "Invalid request", "invalid '%s': ", e.parameter(), e.reason());
  }

  /** A URL the registry may not send requests to: 422 naming the field and the rule. */
  @ExceptionHandler(TargetRefusedException.class)
  ResponseEntity<ProblemDetail> refusedTarget(TargetRefusedException e) {
    return fieldProblem(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "Target not allowed",
        "'%s' is not allowed: ",
        e.parameter(),
        e.reason());
  }

  /**
   * A problem about one parameter or field: the detail is {@code lead} (naming it at {@code %s})
   * followed by the reason, and the one field error is the reason.
   */
  private static ResponseEntity<ProblemDetail> fieldProblem(
      HttpStatus status, String title, String lead, String parameter, String reason) {
    String name = Problems.echo(parameter);
    return Problems.of(
        status, title, lead.replace("%s", name) + reason, List.of(new FieldError(name, reason)));
  }

  /** A limit of the registry reached: 409 naming the setting that holds it. */
  @ExceptionHandler(LimitExceededException.class)
  ResponseEntity<ProblemDetail> limit(LimitExceededException e) {
    return Problems.of(
        HttpStatus.CONFLICT,
        "Limit reached",
        e.reason(),
        List.of(new FieldError(Problems.echo(e.parameter()), "limit " + e.limit())));
  }

  /**
   * A node the registry does not know: 403 for a node's own handshake (an admin must register it
   * first), 404 for lookups and admin changes.
   */
  @ExceptionHandler(UnknownNodeException.class)
  ResponseEntity<ProblemDetail> unknownNode(UnknownNodeException e, HttpServletRequest request) {
    if (request.getRequestURI().equals("/registry/connect")) {
      return Problems.of(HttpStatus.FORBIDDEN, "Node not registered", e.getMessage(), null);
    }
    return Problems.of(
        HttpStatus.NOT_FOUND,
        "Node not found",
        "no node '" + Problems.echo(e.node()) + "' in this registry",
        null);
  }
}
