package dev.kodo.web;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The list parameters every list endpoint of every service takes (docs/http-api.md#lists), with one
 * set of rules: {@code p} (page from 0) and {@code pp} (items per page, 1..{@value #MAX_PER_PAGE})
 * are whole numbers of at most 12 digits; {@code search} has at most {@value Glob#MAX_SEARCH}
 * characters and no control characters; {@code by} is {@code field [asc|desc],…} over the fields
 * the endpoint sorts by; {@code hidden} is {@code true} or {@code false}. The node checks all of
 * them here; the registry checks {@code p}, {@code pp}, {@code search} and {@code hidden} here and
 * {@code by} in its index, which knows the fields of what it lists. Immutable.
 *
 * @param page the page number from 0
 * @param perPage items per page
 * @param search the search text, or null for none
 * @param by the sort keys, in order (empty: the endpoint's default order)
 */
public record ListParams(int page, int perPage, String search, List<Order> by) {

  /** One sort key from {@code by=field asc|desc,…}. */
  public record Order(String field, boolean descending) {}

  /** The largest page. */
  public static final int MAX_PER_PAGE = 1000;

  private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]{1,12}");

  /**
   * Parses raw parameters; {@code sortable} names the fields {@code by} may use.
   *
   * @throws ApiException 400 naming the bad parameter
   */
  public static ListParams parse(
      String p, String pp, String search, String by, Set<String> sortable, int defaultPerPage) {
    return new ListParams(
        page(p), perPage(pp, defaultPerPage), search(search), orders(by, sortable));
  }

  /**
   * The page number {@code p}: 0 when absent.
   *
   * @throws ApiException 400 naming {@code p}
   */
  public static int page(String raw) {
    return integer("p", raw, 0, 0, Integer.MAX_VALUE);
  }

  /**
   * The page size {@code pp}: {@code dflt} when absent.
   *
   * @throws ApiException 400 naming {@code pp}
   */
  public static int perPage(String raw, int dflt) {
    return integer("pp", raw, dflt, 1, MAX_PER_PAGE);
  }

  /**
   * The {@code search} text: null when absent or blank.
   *
   * @throws ApiException 400 naming {@code search}
   */
  public static String search(String search) {
    if (search != null && search.length() > Glob.MAX_SEARCH) {
      throw ApiException.badParameter(
          "search", "must be at most " + Glob.MAX_SEARCH + " characters");
    }
    if (search != null && search.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badParameter("search", "must not contain control characters");
    }
    return search == null || search.isBlank() ? null : search;
  }

  /**
   * The {@code hidden} parameter: {@code true} lists hidden items too — an operator's view
   * (docs/http-api.md#registry-flows).
   *
   * @throws ApiException 400 for anything but {@code true} or {@code false}
   */
  public static boolean hidden(String raw) {
    if (raw == null || raw.isEmpty() || raw.equals("false")) return false;
    if (raw.equals("true")) return true;
    throw ApiException.badParameter(
        "hidden", "must be true or false, not '" + Problems.echo(raw) + "'");
  }

  private static List<Order> orders(String by, Set<String> sortable) {
    List<Order> orders = new ArrayList<>();
    if (by == null || by.isBlank()) return orders;
    for (String part : by.split(",")) {
      String[] words = part.trim().split("\\s+");
      String field = words[0].toLowerCase(Locale.ROOT);
      if (!sortable.contains(field)) {
        throw ApiException.badParameter(
            "by",
            "cannot sort by '"
                + Problems.echo(words[0])
                + "'; sortable fields: "
                + String.join(", ", new TreeSet<>(sortable)));
      }
      boolean desc = false;
      if (words.length == 2) {
        switch (words[1].toLowerCase(Locale.ROOT)) {
          case "asc" -> desc = false;
          case "desc" -> desc = true;
          default ->
              throw ApiException.badParameter(
                  "by", "direction must be asc or desc, not '" + Problems.echo(words[1]) + "'");
        }
      } else if (words.length > 2) {
        throw ApiException.badParameter(
            "by", "expected 'field asc|desc', got '" + Problems.echo(part.trim()) + "'");
      }
      orders.add(new Order(field, desc));
    }
    return orders;
  }

  private static int integer(String name, String raw, int dflt, int min, int max) {
    if (raw == null || raw.isBlank()) return dflt;
    try {
      if (!WHOLE.matcher(raw.strip()).matches()) throw new NumberFormatException();
      int v = Integer.parseInt(raw.strip());
      if (v < min || v > max) {
        throw ApiException.badParameter(
            name, "must be between " + min + " and " + max + ", not " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(
          name, "must be a whole number, not '" + Problems.echo(raw) + "'");
    }
  }

  /**
   * The {@code search} as the one glob node and registry share ({@link Glob}: linear time, no
   * regular expression), or null when none was given.
   */
  public Glob glob() {
    return search == null ? null : Glob.search(search);
  }

  /**
   * Whether {@code glob} (null: no search) matches one of {@code texts}, ignoring case.
   *
   * @throws Deadline.ExceededException once the request's deadline has passed
   */
  public static boolean matches(Glob glob, String... texts) {
    if (glob == null) return true;
    Deadline.check();
    for (String t : texts) {
      if (glob.matches(t)) return true;
    }
    return false;
  }
}
