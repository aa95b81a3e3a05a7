package dev.kodo.registry.internal;

import dev.kodo.client.Page;
import dev.kodo.registry.Glob;
import dev.kodo.registry.ListRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Makes one page of a list from entries held in the default order: filter (visibility, search,
 * query) in one pass, then either slice (default order) or put just the page's ranks in order
 * with a partial quicksort ({@link Select}) — about linear in the matches whatever the page.
 * Allocates only for the matches when sorting, and only for the page otherwise.
 */
final class Lists {
  private Lists() {}

  /** How an entry is read for one kind of list. */
  interface Kind<E, R> {
    NodeState state(E e);

    boolean hidden(E e, NodeState n);

    /** Whether the glob matches one of the searchable texts. */
    boolean search(Glob g, E e, NodeState n);

    /** The entries (by index) the glob matches, found all at once; null to ask {@link #search} per entry. */
    default java.util.BitSet searchAll(Glob g, E[] entries) {
      return null;
    }

    R record(E e, NodeState n, Eval x);
  }

  static <E, R> Page<R> page(E[] entries, ListRequest r, Expr<E> filter, Glob search, Sort<E> sort, Eval x, Kind<E, R> kind) {
    int total = 0;
    java.util.BitSet found = search == null ? null : kind.searchAll(search, entries);
    int from = r.page() * r.perPage();
    int to = from + r.perPage();
    if (sort.isDefault()) {
      int matched = 0;
      List<R> items = new ArrayList<>(Math.min(r.perPage(), 64));
      for (int i = 0; i < entries.length; i++) {
        E e = entries[i];
        NodeState n = kind.state(e);
        if (!r.includeHidden() && kind.hidden(e, n)) continue;
        total++;
        if (found != null ? !found.get(i) : search != null && !kind.search(search, e, n)) continue;
        if (filter != null && !filter.test(e, n, x)) continue;
        if (matched >= from && matched < to) items.add(kind.record(e, n, x));
        matched++;
      }
      return new Page<>(total, matched, r.page(), r.perPage(), items);
    }
    Comparator<Hit<E>> order = sort.comparator(x);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Hit<E>[] hits = new Hit[found != null ? found.cardinality() : entries.length];
    int matched = 0;
    for (int i = 0; i < entries.length; i++) {
      E e = entries[i];
      NodeState n = kind.state(e);
      if (!r.includeHidden() && kind.hidden(e, n)) continue;
      total++;
      if (found != null ? !found.get(i) : search != null && !kind.search(search, e, n)) continue;
      if (filter != null && !filter.test(e, n, x)) continue;
      Hit<E> h = new Hit<>(e, n, i);
      sort.prime(h, x);
      hits[matched++] = h;
    }
    int end = Math.min(to, matched);
    if (from < end) {
      Select.range(hits, matched, from, end, order);
    }
    List<R> items = new ArrayList<>(Math.max(0, end - from));
    for (int i = from; i < end; i++) {
      items.add(kind.record(hits[i].entry(), hits[i].state(), x));
    }
    return new Page<>(total, matched, r.page(), r.perPage(), items);
  }

  /** Whether {@code g} matches one of the texts (a substring search looks at their joined form once). */
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
