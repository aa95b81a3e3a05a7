package dev.kodo.registryservice.web;

import dev.kodo.web.ApiException;
import dev.kodo.registry.ListRequest;
import java.util.regex.Pattern;

/**
 * The list parameters of {@code GET /registry/nodes} and {@code /registry/flows}: {@code p} and
 * {@code pp} are checked here (ASCII digits); {@code search}, {@code query} and {@code by} by the
 * registry's index, against the fields of what is listed.
 */
public final class ListParams {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  private ListParams() {}

  /**
   * A request for visible records.
   *
   * @throws ApiException 400 naming {@code p}, {@code pp} or {@code search}
   */
  public static ListRequest parse(String search, String query, String p, String pp, String by, String hidden) {
    if (search != null && search.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badParameter("search", "must not contain control characters");
    }
    return ListRequest.of(search, query, by, integer("p", p, 0), integer("pp", pp, ListRequest.DEFAULT_PER_PAGE))
        .includingHidden(hidden(hidden));
  }

  /**
   * The {@code hidden} parameter: {@code true} lists hidden nodes and flows too — an operator's
   * view (docs/http-api.md#registry-flows). Without auth every caller is an operator; with auth it will take the
   * operator role.
   *
   * @throws ApiException 400 for anything but {@code true} or {@code false}
   */
  public static boolean hidden(String raw) {
    if (raw == null || raw.isEmpty() || raw.equals("false")) return false;
    if (raw.equals("true")) return true;
    throw ApiException.badParameter("hidden", "must be true or false, not '" + ApiException.shorten(raw) + "'");
  }

  private static int integer(String name, String raw, int dflt) {
    if (raw == null || raw.isEmpty()) return dflt;
    if (!DIGITS.matcher(raw).matches()) {
      throw ApiException.badParameter(name, "must be a whole number of at most 9 digits, not '" + ApiException.shorten(raw) + "'");
    }
    return Integer.parseInt(raw);
  }
}
