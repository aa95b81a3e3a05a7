package dev.kodo.web;

import dev.kodo.client.KodoException;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.Shorten;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * A request a Kodo service refuses, with the HTTP status and the words a caller needs. {@link
 * ProblemAdvice} turns it into problem+json; nothing else maps errors.
 */
public class ApiException extends KodoException {
  private final HttpStatus status;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, Object> members;
  private final Duration retryAfter;

  public ApiException(HttpStatus status, String title, String detail, List<FieldError> errors) {
    this(status, title, detail, errors, null, null);
  }

  /**
   * A refusal with more to say than the standard members.
   *
   * @param members extra members of the problem (e.g. {@code limit}); JSON values, in this order;
   *     the standard members ({@code type}, {@code title}, {@code status}, {@code detail}, {@code
   *     instance}, {@code errors}) cannot be replaced
   * @param retryAfter when the caller may try again, sent as {@code Retry-After} (whole seconds, at
   *     least 1); null for none (a 503 then says 1 s)
   */
  public ApiException(
      HttpStatus status,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, ?> members,
      Duration retryAfter) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.members =
        members == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(members));
    this.retryAfter = retryAfter;
  }

  /**
   * 429: the caller asks for more than a configured limit allows right now; {@code members} say
   * which limit (e.g. {@code {"limit": "flow"}}), {@code retryAfter} when to come back.
   */
  public static ApiException tooManyRequests(
      String title, String detail, Map<String, ?> members, Duration retryAfter) {
    return new ApiException(HttpStatus.TOO_MANY_REQUESTS, title, detail, null, members, retryAfter);
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

  /** The problem's extra members, in order; empty for none. */
  public Map<String, Object> members() {
    return members;
  }

  /** When the caller may try again ({@code Retry-After}); empty when the problem does not say. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
