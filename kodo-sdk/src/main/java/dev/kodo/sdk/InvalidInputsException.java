package dev.kodo.sdk;

import dev.kodo.client.KodoException;
import dev.kodo.client.Problem.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** What a caller sent does not fit a form; {@link #errors()} names each field and what is wrong. */
public final class InvalidInputsException extends KodoException {
  private final List<FieldError> errors;

  public InvalidInputsException(List<FieldError> errors) {
    super("invalid inputs: " + errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
