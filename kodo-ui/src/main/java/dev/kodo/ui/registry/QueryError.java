package dev.kodo.ui.registry;

import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.QuerySyntaxException;

/**
 * Why a flow search was refused, as the search page shows it (docs/ui.md#registry-pages): for a
 * query the registry's filter language rejects, the 1-based column and what was wrong there.
 *
 * @param parameter the search's field at fault: {@code query}, {@code search}, {@code by}, …
 * @param column the 1-based column in the query, or 0 when the fault is not in the query
 * @param message what was expected and what was found
 */
public record QueryError(String parameter, int column, String message) {

  /** The error of a refused list request. */
  public static QueryError of(InvalidRequestException e) {
    if (e instanceof QuerySyntaxException q)
      return new QueryError("query", q.position(), q.reason());
    return new QueryError(e.parameter(), 0, e.reason());
  }

  /** One line for the page, e.g. {@code query, column 17: expected a value after '>'…}. */
  public String text() {
    return column > 0 ? "query, column " + column + ": " + message : parameter + ": " + message;
  }
}
