package dev.kodo.registry.core;

import dev.kodo.client.KodoException;

/**
 * Input from outside (an HTTP parameter, a request body) that the registry cannot accept. It names
 * the {@link #parameter()} at fault — {@code query}, {@code search}, {@code by}, {@code pp}, {@code
 * node}, {@code url}, {@code tags}, … — and says why; the HTTP layer answers it with 400. Never
 * retryable: the same input fails again.
 */
public class InvalidRequestException extends KodoException {
  private final String parameter;
  private final String reason;

  /**
   * @param parameter the parameter or field at fault
   * @param reason what is wrong with it and, where it helps, what would be right
   */
  public InvalidRequestException(String parameter, String reason) {
    super(parameter + ": " + reason);
    this.parameter = parameter;
    this.reason = reason;
  }

  /** The same, with a message of its own (for subclasses that word it differently). */
  protected InvalidRequestException(String parameter, String reason, String message) {
    super(message);
    this.parameter = parameter;
    this.reason = reason;
  }

  /** The parameter or field at fault. */
  public String parameter() {
    return parameter;
  }

  /** Why, without the parameter's name. */
  public String reason() {
    return reason;
  }
}
