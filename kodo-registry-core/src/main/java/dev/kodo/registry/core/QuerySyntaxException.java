package dev.kodo.registry.core;

/**
 * A {@code query} that is not a valid filter expression: a syntax error, an unknown field, a value
 * of the wrong type for its field, or a query beyond the limits (length, nesting, {@code in} list
 * size). The message starts with the 1-based column where the problem is and says what was expected
 * and what was found, e.g. {@code at 17: expected a value after '>' but found end of query}.
 */
public final class QuerySyntaxException extends InvalidRequestException {
  private final int position;

  /**
   * @param position 1-based column in the query (in characters as a person counts them)
   * @param reason what was expected and what was found
   */
  public QuerySyntaxException(int position, String reason) {
    super("query", reason, "at " + position + ": " + reason);
    this.position = position;
  }

  /** The 1-based column where the problem is; one past the end for a query that ends too soon. */
  public int position() {
    return position;
  }
}
