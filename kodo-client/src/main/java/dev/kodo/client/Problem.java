package dev.kodo.client;

import java.util.List;

/** An RFC 9457 problem document, as every Kodo service answers an error. */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  /** What is wrong with one field of the input. */
  public record FieldError(String field, String message) {}

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
