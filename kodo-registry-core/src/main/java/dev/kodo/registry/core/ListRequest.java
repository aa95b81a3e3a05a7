package dev.kodo.registry.core;

import dev.kodo.client.Glob;
import dev.kodo.registry.core.internal.Texts;

/**
 * What a list of nodes or flows is asked for (docs/http-api.md#lists). Checked when built ({@code
 * search} at most {@value Glob#MAX_SEARCH} characters without control characters); {@code query}
 * and {@code by} are checked when the list is made, against the fields of what is listed.
 *
 * <pre>{@code
 * index.flows(ListRequest.of("report", "availability > 0.9 and tags contains \"finance\"", "name asc", 0, 50));
 * }</pre>
 *
 * @param search a glob ({@code *}, {@code ?}, case-insensitive) over the text fields; without
 *     wildcards a substring; null or blank for all
 * @param query a filter expression ({@link Query}); null or blank for all
 * @param by sort keys, {@code field asc|desc,…}; null or blank for the default order
 * @param page page number from 0
 * @param perPage items per page, 1..{@value #MAX_PER_PAGE}
 * @param includeHidden whether hidden nodes and flows are listed (operators only)
 */
public record ListRequest(
    String search, String query, String by, int page, int perPage, boolean includeHidden) {
  /** The largest page. */
  public static final int MAX_PER_PAGE = 1000;

  /** The page size when none is asked for. */
  public static final int DEFAULT_PER_PAGE = 100;

  /**
   * @throws InvalidRequestException naming {@code p}, {@code pp} or {@code search}
   */
  public ListRequest {
    if (search != null) {
      Texts.text(search, "search", Glob.MAX_SEARCH, false);
    }
    if (page < 0) {
      throw new InvalidRequestException("p", "the page number must be 0 or more, not " + page);
    }
    if (perPage < 1 || perPage > MAX_PER_PAGE) {
      throw new InvalidRequestException(
          "pp", "items per page must be between 1 and " + MAX_PER_PAGE + ", not " + perPage);
    }
    search = search == null || search.isBlank() ? null : search;
    query = query == null || query.isBlank() ? null : query;
    by = by == null || by.isBlank() ? null : by;
  }

  /** A request of visible items only. */
  public static ListRequest of(String search, String query, String by, int page, int perPage) {
    return new ListRequest(search, query, by, page, perPage, false);
  }

  /** The first page of everything visible, in the default order. */
  public static ListRequest all() {
    return new ListRequest(null, null, null, 0, DEFAULT_PER_PAGE, false);
  }

  /**
   * Where this page starts in a list of {@code size} items: {@code page × perPage}, worked out in
   * {@code long} (a page number near {@code Integer.MAX_VALUE} must not wrap round to an earlier
   * page) and at most {@code size}.
   */
  public int from(int size) {
    return (int) Math.min((long) page * perPage, size);
  }

  /** Where this page ends (exclusive) in a list of {@code size} items: at most {@code size}. */
  public int to(int size) {
    return (int) Math.min((long) page * perPage + perPage, size);
  }

  /** The same request, with or without hidden items. */
  public ListRequest includingHidden(boolean include) {
    return new ListRequest(search, query, by, page, perPage, include);
  }
}
