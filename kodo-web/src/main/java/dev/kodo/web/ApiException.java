package dev.kodo.web;

import dev.kodo.client.KodoException;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.Shorten;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request a Kodo service refuses, with the HTTP status and the words a caller needs. {@link
 * ProblemAdvice} turns it into problem+json; nothing else maps errors.
 */
public class ApiException extends KodoException {
  private final HttpStatus status;
  private final String title;
  private final List<FieldError> errors;

  public ApiException(HttpStatus status, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static ApiException notFound(String what, String id) {
    return new ApiException(
        HttpStatus.NOT_FOUND,
        Character.toUpperCase(what.charAt(0)) + what.substring(1) + " not found",
        "no " + what + " '" + shorten(id) + "'",
        null);
  }

  public static ApiException badRequest(String detail, List<FieldError> errors) {
    return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", detail, errors);
  }

  public static ApiException badParameter(String name, String message) {
    return badRequest(
        "invalid parameter '" + name + "': " + message, List.of(new FieldError(name, message)));
  }

  public static ApiException conflict(String detail) {
    return new ApiException(HttpStatus.CONFLICT, "Conflict with the run's state", detail, null);
  }

  /**
   * A caller's value for an error message, shortened so that an error never echoes kilobytes back.
   */
  public static String shorten(String s) {
    return Shorten.saying(s, 120);
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
