package dev.kodo.node.web;

import dev.kodo.client.Problem.FieldError;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.web.Problems;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A flow's inputs (or a lock's answer) that do not fit its form, as 400 problem+json naming each
 * field (docs/http-api.md). Kept in the node, the only service that runs flows, so that the shared
 * {@code dev.kodo.web} layer — and with it the stand-alone registry — needs no flow SDK. Stateless.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
final class InputProblems {

  @ExceptionHandler(InvalidInputsException.class)
  ResponseEntity<ProblemDetail> inputs(InvalidInputsException e) {
    List<FieldError> errors =
        e.errors().stream().map(x -> new FieldError(x.field(), x.message())).toList();
    String fields = String.join(", ", errors.stream().map(FieldError::field).distinct().toList());
    String detail =
        errors.size() == 1
            ? "the input " + fields + " is invalid"
            : "the inputs " + fields + " are invalid";
    return Problems.of(HttpStatus.BAD_REQUEST, "Invalid inputs", detail, errors);
  }
}
