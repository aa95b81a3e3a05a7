package dev.kodo.node.web;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import dev.kodo.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The list parameters every list endpoint takes (docs/http-api.md#lists): {@code p}, {@code pp}, {@code
 * search} and {@code by}, checked once here.
 */
public record ListParams(int page, int perPage, String search, List<Order> by) {

  /** One sort key from {@code by=field asc|desc,…}. */
  public record Order(String field, boolean descending) {}

  public static final int MAX_PER_PAGE = 1000;
  private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]{1,12}");

  /**
   * Parses raw parameters; {@code sortable} names the fields {@code by} may use.
   *
   * @throws ApiException 400 naming the bad parameter
   */
  public static ListParams parse(String p, String pp, String search, String by, Set<String> sortable, int defaultPerPage) {
    int page = integer("p", p, 0, 0, Integer.MAX_VALUE);
    int perPage = integer("pp", pp, defaultPerPage, 1, MAX_PER_PAGE);
    if (search != null && search.length() > Glob.MAX_SEARCH) {
      throw ApiException.badParameter("search", "must be at most " + Glob.MAX_SEARCH + " characters");
    }
    if (search != null && search.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badParameter("search", "must not contain control characters");
    }
    List<Order> orders = new ArrayList<>();
    if (by != null && !by.isBlank()) {
      for (String part : by.split(",")) {
        String[] words = part.trim().split("\\s+");
        String field = words[0].toLowerCase(Locale.ROOT);
        if (!sortable.contains(field)) {
          throw ApiException.badParameter("by", "cannot sort by '" + dev.kodo.web.Problems.echo(words[0]) + "'; sortable fields: "
              + String.join(", ", new java.util.TreeSet<>(sortable)));
        }
        boolean desc = false;
        if (words.length == 2) {
          switch (words[1].toLowerCase(Locale.ROOT)) {
            case "asc" -> desc = false;
            case "desc" -> desc = true;
            default -> throw ApiException.badParameter("by", "direction must be asc or desc, not '" + dev.kodo.web.Problems.echo(words[1]) + "'");
          }
        } else if (words.length > 2) {
          throw ApiException.badParameter("by", "expected 'field asc|desc', got '" + dev.kodo.web.Problems.echo(part.trim()) + "'");
        }
        orders.add(new Order(field, desc));
      }
    }
    return new ListParams(page, perPage, search == null || search.isBlank() ? null : search, orders);
  }

  private static int integer(String name, String raw, int dflt, int min, int max) {
    if (raw == null || raw.isBlank()) return dflt;
    try {
      if (!WHOLE.matcher(raw.strip()).matches()) throw new NumberFormatException();
      int v = Integer.parseInt(raw.strip());
      if (v < min || v > max) {
        throw ApiException.badParameter(name, "must be between " + min + " and " + max + ", not " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(name, "must be a whole number, not '" + dev.kodo.web.Problems.echo(raw) + "'");
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
