package dev.kodo.registry.web;

import dev.kodo.registry.core.ListRequest;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;

/**
 * The list parameters of {@code GET /registry/nodes} and {@code /registry/flows} as a request to
 * the registry's index: {@code p}, {@code pp}, {@code search} and {@code hidden} by the rules every
 * service shares ({@link ListParams}); {@code query} and {@code by} by the index, against the
 * fields of what is listed; {@code hidden=true} only for operators ({@link RegistryAccess}).
 * Stateless; thread-safe.
 */
public final class RegistryLists {
  private RegistryLists() {}

  /**
   * A request for the records asked for.
   *
   * @throws ApiException 400 naming {@code p}, {@code pp}, {@code search} or {@code hidden}; 403
   *     when a caller that is not an operator asks for hidden records
   */
  public static ListRequest request(
      String search, String query, String p, String pp, String by, String hidden) {
    return ListRequest.of(
            ListParams.search(search),
            query,
            by,
            ListParams.page(p),
            ListParams.perPage(pp, ListRequest.DEFAULT_PER_PAGE))
        .includingHidden(RegistryAccess.hidden(hidden));
  }
}
