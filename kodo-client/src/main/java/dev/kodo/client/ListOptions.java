package dev.kodo.client;

import java.util.StringJoiner;

/**
 * What a list of a registry's nodes or flows is asked for (docs/http-api.md#lists); a null field is
 * left to the service's default. Immutable.
 *
 * <pre>{@code
 * registry.flows(ListOptions.all().withQuery("online and tags contains \"finance\"").withPerPage(20));
 * }</pre>
 *
 * @param search a glob ({@code *}, {@code ?}); without wildcards a substring; null for all
 * @param query a filter expression, e.g. {@code release >= "2.0.0"}; null for all
 * @param page the page number from 0, or null for the first
 * @param perPage items per page (the service allows 1 to 1000), or null for its default
 * @param by sort keys, {@code field asc|desc,…}, or null for the default order
 */
public record ListOptions(String search, String query, Integer page, Integer perPage, String by) {

  /**
   * @throws IllegalArgumentException for a negative page or a page size below 1
   */
  public ListOptions {
    Check.that(page == null || page >= 0, "page must be 0 or more, not " + page);
    Check.that(perPage == null || perPage >= 1, "items per page must be 1 or more, not " + perPage);
    search = blankToNull(search);
    query = blankToNull(query);
    by = blankToNull(by);
  }

  /** The first page of everything, in the default order. */
  public static ListOptions all() {
    return new ListOptions(null, null, null, null, null);
  }

  public ListOptions withSearch(String glob) {
    return new ListOptions(glob, query, page, perPage, by);
  }

  public ListOptions withQuery(String filter) {
    return new ListOptions(search, filter, page, perPage, by);
  }

  public ListOptions withPage(Integer number) {
    return new ListOptions(search, query, number, perPage, by);
  }

  public ListOptions withPerPage(Integer size) {
    return new ListOptions(search, query, page, size, by);
  }

  public ListOptions withBy(String order) {
    return new ListOptions(search, query, page, perPage, order);
  }

  /** The query string, {@code ?search=…&query=…&p=…&pp=…&by=…} with what is set, or empty. */
  String toQueryString() {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    add(q, "search", search);
    add(q, "query", query);
    add(q, "p", page == null ? null : page.toString());
    add(q, "pp", perPage == null ? null : perPage.toString());
    add(q, "by", by);
    return q.toString();
  }

  private static void add(StringJoiner q, String name, String value) {
    if (value != null) {
      q.add(name + "=" + JsonHttp.encode(value));
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
