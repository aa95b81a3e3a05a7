package dev.kodo.sdk;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a caller sent does not fit a form (or a lock's answer was denied); {@link #errors()} names
 * each field and what is wrong. A node answers it with 400 and the field errors.
 */
public final class InvalidInputsException extends RuntimeException {
  private final List<InputError> errors;

  public InvalidInputsException(List<InputError> errors) {
    super(
        "invalid inputs: "
            + errors.stream()
                .map(e -> e.field() + " " + e.message())
                .collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<InputError> errors() {
    return errors;
  }
}
