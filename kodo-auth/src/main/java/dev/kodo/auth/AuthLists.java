package dev.kodo.auth;

import dev.kodo.web.ListParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The list shape of every {@code /auth} list (docs/http-api.md#lists): {@code {total, filtered, p,
 * pp, items}}, with {@code search} matched against each item's name.
 */
public final class AuthLists {
  private AuthLists() {}

  /**
   * One page of {@code all}, filtered by the search over {@code name}, each item as {@code view}.
   */
  public static <T> Map<String, Object> page(
      List<T> all,
      String p,
      String pp,
      String search,
      Function<T, String> name,
      Function<T, Object> view) {
    ListParams params = ListParams.parse(p, pp, search, null, Set.of(), 100);
    var glob = params.glob();
    List<T> filtered = all.stream().filter(t -> ListParams.matches(glob, name.apply(t))).toList();
    long from = (long) params.page() * params.perPage();
    List<Object> items = filtered.stream().skip(from).limit(params.perPage()).map(view).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", all.size());
    out.put("filtered", filtered.size());
    out.put("p", params.page());
    out.put("pp", params.perPage());
    out.put("items", items);
    return out;
  }
}
