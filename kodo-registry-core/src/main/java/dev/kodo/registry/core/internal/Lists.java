package dev.kodo.registry.core.internal;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import dev.kodo.client.Page;
import dev.kodo.registry.core.ListRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Makes one page of a list from entries held in the default order: filter (visibility, search,
 * query) in one pass, then either slice (default order) or put just the page's ranks in order with
 * a partial quicksort ({@link Select}) — about linear in the matches whatever the page. Allocates
 * only for the matches when sorting, and only for the page otherwise. The pass checks the request's
 * {@link Deadline} as it goes.
 */
final class Lists {
  private Lists() {}

  /** How an entry is read for one kind of list. */
  interface Kind<E, R> {
    NodeState state(E e);

    boolean hidden(E e, NodeState n);

    /** Whether the glob matches one of the searchable texts. */
    boolean search(Glob g, E e, NodeState n);

    /**
     * The entries (by index) the glob matches, found all at once; null to ask {@link #search} per
     * entry.
     */
    default BitSet searchAll(Glob g, E[] entries) {
      return null;
    }

    /** The indexes of the entries that are not hidden, if known without a pass; null otherwise. */
    default int[] visible(E[] entries) {
      return null;
    }

    R record(E e, NodeState n, Eval x);
  }

  static <E, R> Page<R> page(
      E[] entries,
      ListRequest r,
      Expr<E> filter,
      Glob search,
      Sort<E> sort,
      Eval x,
      Kind<E, R> kind) {
    BitSet found = search == null ? null : kind.searchAll(search, entries);
    int[] visible = r.includeHidden() ? null : kind.visible(entries);
    int from = r.from(entries.length);
    int to = r.to(entries.length);
    if (visible != null && search == null && filter == null && sort.isDefault()) {
      // A plain page: a slice of what is visible, without a pass over everything.
      List<R> items = new ArrayList<>(Math.max(0, Math.min(to, visible.length) - from));
      for (int i = from; i < Math.min(to, visible.length); i++) {
        E e = entries[visible[i]];
        items.add(kind.record(e, kind.state(e), x));
      }
      return new Page<>(visible.length, visible.length, r.page(), r.perPage(), items);
    }
    // With the search's hits at hand and the total known, only the hits need a look.
    boolean hitsOnly = found != null && (visible != null || r.includeHidden());
    int total = !hitsOnly ? 0 : visible != null ? visible.length : entries.length;
    boolean sorted = !sort.isDefault();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Hit<E>[] hits = sorted ? new Hit[found != null ? found.cardinality() : entries.length] : null;
    List<R> items = sorted ? null : new ArrayList<>(Math.min(r.perPage(), 64));
    int matched = 0;
    int steps = 0;
    for (int i = hitsOnly ? found.nextSetBit(0) : 0;
        i >= 0 && i < entries.length;
        i = hitsOnly ? found.nextSetBit(i + 1) : i + 1) {
      if ((steps++ & 0xfff) == 0) Deadline.check();
      E e = entries[i];
      NodeState n = kind.state(e);
      if (!r.includeHidden() && kind.hidden(e, n)) continue;
      if (!hitsOnly) {
        total++;
        if (found != null ? !found.get(i) : search != null && !kind.search(search, e, n)) continue;
      }
      if (filter != null && !filter.test(e, n, x)) continue;
      if (sorted) {
        Hit<E> h = new Hit<>(e, n, i);
        sort.prime(h, x);
        hits[matched++] = h;
      } else {
        if (matched >= from && matched < to) items.add(kind.record(e, n, x));
        matched++;
      }
    }
    if (!sorted) return new Page<>(total, matched, r.page(), r.perPage(), items);
    int end = Math.min(to, matched);
    if (from < end) {
      Select.range(hits, matched, from, end, sort.comparator(x));
    }
    List<R> page = new ArrayList<>(Math.max(0, end - from));
    for (int i = from; i < end; i++) {
      page.add(kind.record(hits[i].entry(), hits[i].state(), x));
    }
    return new Page<>(total, matched, r.page(), r.perPage(), page);
  }

  /**
   * Whether {@code g} matches one of the texts (a substring search looks at their joined form
   * once).
   */
  static boolean search(Glob g, String haystack, String[] fields) {
    if (g.containsNeedle()) {
      return haystack.contains(g.needle());
    }
    if (!g.mayMatchIn(haystack)) {
      return false;
    }
    for (String f : fields) {
      if (g.matchesLower(f)) return true;
    }
    return false;
  }
}
