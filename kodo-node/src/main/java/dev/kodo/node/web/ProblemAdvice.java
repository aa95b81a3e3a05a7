package dev.kodo.node.web;

import dev.kodo.client.Json;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.sdk.InvalidInputsException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * The one place where errors become RFC 9457 problem+json. Bad input gets 4xx with a message
 * that points at the field, parameter, line or column; only the node's own faults become 500,
 * and those never show a stack trace.
 */
@RestControllerAdvice
final class ProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return problem(e.status(), e.title(), e.getMessage(), e.errors());
  }

  @ExceptionHandler(InvalidInputsException.class)
  ResponseEntity<ProblemDetail> inputs(InvalidInputsException e) {
    String fields = String.join(", ", e.errors().stream().map(dev.kodo.client.Problem.FieldError::field).distinct().toList());
    String detail = e.errors().size() == 1 ? "the input " + fields + " is invalid" : "the inputs " + fields + " are invalid";
    return problem(HttpStatus.BAD_REQUEST, "Invalid inputs", detail, e.errors());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> parameter(MethodArgumentTypeMismatchException e) {
    String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName().toLowerCase();
    String message = "must be a " + expected + ", not '" + e.getValue() + "'";
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", "invalid parameter '" + e.getName() + "': " + message,
        List.of(new FieldError(e.getName(), message)));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected error", e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
        "the node failed to handle this request; its log has the details", null);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PayloadTooLargeException tooLarge) {
        return cast(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large", tooLarge.getMessage(), null));
      }
    }
    String detail = "the request body is not valid JSON for this endpoint";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException je) {
        TokenStreamLocation at = je.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String path = je.getPath() == null || je.getPath().isEmpty() ? "" : " (field " + je.getPathReference() + ")";
        detail = "malformed request body" + where + path + ": " + je.getOriginalMessage();
        break;
      }
    }
    if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
      detail = "this endpoint needs a JSON request body";
    }
    return cast(problem(HttpStatus.BAD_REQUEST, "Malformed request", detail, null));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (status.is5xxServerError()) {
      log.error("request failed", e);
    }
    return super.handleExceptionInternal(e, body, headers, status, request);
  }

  @SuppressWarnings("unchecked")
  private static ResponseEntity<Object> cast(ResponseEntity<?> r) {
    return (ResponseEntity<Object>) r;
  }

  static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String title, String detail, List<FieldError> errors) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    if (errors != null && !errors.isEmpty()) {
      p.setProperty("errors", errors);
    }
    return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }

  /** Writes a problem straight to a response, for filters that answer before Spring MVC. */
  static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "about:blank");
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setHeader("Connection", "close");
    response.getOutputStream().write(Json.write(p).getBytes(StandardCharsets.UTF_8));
  }
}
