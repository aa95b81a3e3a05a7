package dev.kodo.store;

import dev.kodo.client.Check;
import dev.kodo.client.RunState;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which runs to list and how (docs/http-api.md#lists).
 *
 * @param states only runs in one of these states; empty for all
 * @param flow only runs of this flow path; null for all
 * @param owner only runs of this owner; null for all
 * @param search a glob ({@code *}, {@code ?}) matched case-insensitively against fid, flow and
 *     owner; without {@code *} or {@code ?} it matches anywhere in them; null for none
 * @param sort sort keys, applied in order; empty for newest first
 * @param page page number from 0
 * @param perPage page size, 1..1000
 * @param finishedBefore only runs that finished before this instant; null for all
 * @param acknowledged only runs acknowledged (true) or not (false); null for both
 * @param visibleTo only the runs this caller may see; null for all (operators, auth off)
 * @param createdFrom only runs created at or after this instant; null for no lower bound
 * @param createdTo only runs created before this instant; null for no upper bound
 */
public record RunQuery(
    Set<RunState> states,
    String flow,
    String owner,
    String search,
    List<Sort> sort,
    int page,
    int perPage,
    Instant finishedBefore,
    Boolean acknowledged,
    RunVisibility visibleTo,
    Instant createdFrom,
    Instant createdTo) {

  /** The fields runs can be sorted by. */
  public enum SortField {
    CREATED,
    FINISHED,
    FLOW,
    STATE,
    FID
  }

  /** One sort key. */
  public record Sort(SortField field, boolean descending) {}

  public static final int MAX_PER_PAGE = 1000;

  public RunQuery {
    states = Set.copyOf(states == null ? Set.of() : states);
    sort =
        List.copyOf(
            sort == null || sort.isEmpty() ? List.of(new Sort(SortField.CREATED, true)) : sort);
    Check.that(page >= 0, "page must be 0 or more");
    Check.that(
        perPage >= 1 && perPage <= MAX_PER_PAGE, "per page must be between 1 and " + MAX_PER_PAGE);
  }

  /** A query of every caller's runs. */
  public RunQuery(
      Set<RunState> states,
      String flow,
      String owner,
      String search,
      List<Sort> sort,
      int page,
      int perPage,
      Instant finishedBefore,
      Boolean acknowledged) {
    this(
        states,
        flow,
        owner,
        search,
        sort,
        page,
        perPage,
        finishedBefore,
        acknowledged,
        null,
        null,
        null);
  }

  /** The same query, limited to the runs {@code visibility} lets a caller see (null: all). */
  public RunQuery visibleTo(RunVisibility visibility) {
    return new RunQuery(
        states,
        flow,
        owner,
        search,
        sort,
        page,
        perPage,
        finishedBefore,
        acknowledged,
        visibility,
        createdFrom,
        createdTo);
  }

  /**
   * The same query, limited to runs created in {@code [from, to)} (either null: unbounded), for the
   * runs list's date filter (docs/ui.md#pages).
   */
  public RunQuery createdBetween(Instant from, Instant to) {
    return new RunQuery(
        states,
        flow,
        owner,
        search,
        sort,
        page,
        perPage,
        finishedBefore,
        acknowledged,
        visibleTo,
        from,
        to);
  }

  /** A query without the finished-before and acknowledged filters. */
  public RunQuery(
      Set<RunState> states,
      String flow,
      String owner,
      String search,
      List<Sort> sort,
      int page,
      int perPage) {
    this(states, flow, owner, search, sort, page, perPage, null, null, null, null, null);
  }

  public static RunQuery all() {
    return new RunQuery(Set.of(), null, null, null, List.of(), 0, 100);
  }
}
