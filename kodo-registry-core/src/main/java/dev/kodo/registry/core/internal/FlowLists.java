package dev.kodo.registry.core.internal;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.registry.core.ListRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Makes one page of a searched, filtered or sorted list of flows — the same page {@link Lists#page}
 * makes, item for item, with each part of the work done as seldom as its inputs change
 * (docs/performance.md#registry-searched-lists):
 *
 * <ul>
 *   <li>the search, visibility and the query's parts that read only what a snapshot fixes ({@link
 *       FlowScope#FIXED}) are answered once per snapshot and kept ({@link Snapshot#candidates}): a
 *       request starts from those candidates and, for each, loads only its node's state (through
 *       {@link Snapshot#flowNodes}, not the flow);
 *   <li>the query's parts that read only the node's changing state (online, heartbeat) are judged
 *       once per node state, not once per flow, when a node's flows follow one another;
 *   <li>sort keys that read only what a snapshot fixes are ranked once per snapshot ({@link
 *       Snapshot#ranks}, made in the background): the page is then picked from the matches' ranks —
 *       plain longs — instead of comparing records key by key. Until the ranks are there, and for
 *       keys read from the node's changing state, hits are compared as {@link Lists} does.
 * </ul>
 *
 * The records of a page are made from the node state each match was judged by. Stateless.
 */
final class FlowLists {
  private FlowLists() {}

  /**
   * One page of {@code s}'s flows; {@code search}, {@code filter} and {@code sort} are the parsed
   * search, query and {@code by} of {@code r}, whose texts name the kept candidates.
   *
   * @param rankSoon asked to make the ranks of an order (its key and comparator) that is not made
   *     yet
   */
  static Page<RegistryFlow> page(
      Snapshot s,
      ListRequest r,
      Glob search,
      Expr<FlowEntry> filter,
      Sort<FlowEntry> sort,
      Eval x,
      BiConsumer<String, Comparator<Hit<FlowEntry>>> rankSoon) {
    FlowEntry[] entries = s.flows();
    FlowScope.Split split = FlowScope.Split.of(filter);
    boolean hidden = r.includeHidden();
    BitSet found =
        s.candidates(
            (search == null ? "" : "s" + r.search())
                + "\u0000"
                + (split.entry() == null ? "" : r.query())
                + (hidden ? "\u0000h" : ""),
            search,
            split.entry(),
            hidden,
            x);
    int total = hidden ? entries.length : s.visibleFlows().length;
    int from = r.page() * r.perPage();
    int to = from + r.perPage();

    // How the matches are put in order: by rank alone, by some keys then a rank, or by index.
    int fixedFrom =
        sort.isDefault() ? 0 : sort.fixedFrom(f -> FlowScope.ofField(f.name()) == FlowScope.FIXED);
    Snapshot.Ranks ranks = null;
    if (!sort.isDefault() && fixedFrom < sort.size()) {
      String key = sort.show(fixedFrom);
      ranks = s.ranks(key);
      if (ranks == null && s.roomForRanks()) rankSoon.accept(key, sort.rest(x, fixedFrom));
    }
    boolean byIndex = sort.isDefault();
    boolean byRank = !byIndex && ranks != null && fixedFrom == 0;
    int upTo = ranks != null ? fixedFrom : sort.size();

    int capacity = found.cardinality();
    List<RegistryFlow> items = byIndex ? new ArrayList<>(Math.min(r.perPage(), 64)) : null;
    long[] keyed = byRank ? new long[capacity] : null;
    NodeState[] states = byRank ? new NodeState[capacity] : null;
    @SuppressWarnings({"unchecked", "rawtypes"})
    Hit<FlowEntry>[] hits = !byIndex && !byRank ? new Hit[capacity] : null;

    NodeEntry[] owners = s.flowNodes();
    Expr<FlowEntry> node = split.node();
    Expr<FlowEntry> both = split.both();
    NodeEntry owner = null;
    NodeState n = null;
    NodeState judged = null;
    boolean nodeHolds = false;
    int matched = 0;
    int steps = 0;
    for (int i = found.nextSetBit(0); i >= 0; i = found.nextSetBit(i + 1)) {
      if ((steps++ & 0xfff) == 0) Deadline.check();
      if (owners[i] != owner) { // a node's flows follow one another: one read of its state
        owner = owners[i];
        n = owner.state();
      }
      if (node != null) {
        if (n != judged) {
          judged = n;
          nodeHolds = node.test(entries[i], n, x);
        }
        if (!nodeHolds) continue;
      }
      if (both != null && !both.test(entries[i], n, x)) continue;
      if (byIndex) {
        if (matched >= from && matched < to) items.add(Records.flow(entries[i], n, x));
      } else if (byRank) {
        keyed[matched] = (long) ranks.rank()[i] << 32 | matched;
        states[matched] = n;
      } else {
        Hit<FlowEntry> h = new Hit<>(entries[i], n, ranks != null ? ranks.rank()[i] : i);
        if (upTo > 0) sort.prime(h, x);
        hits[matched] = h;
      }
      matched++;
    }
    if (byIndex) return new Page<>(total, matched, r.page(), r.perPage(), items);
    int end = Math.min(to, matched);
    List<RegistryFlow> page = new ArrayList<>(Math.max(0, end - from));
    if (byRank) {
      if (from < end) Select.range(keyed, matched, from, end);
      for (int k = from; k < end; k++) {
        int rank = (int) (keyed[k] >>> 32);
        page.add(Records.flow(entries[ranks.flow()[rank]], states[(int) keyed[k]], x));
      }
    } else {
      if (from < end) Select.range(hits, matched, from, end, sort.comparator(x, upTo));
      for (int k = from; k < end; k++) page.add(Records.flow(hits[k].entry, hits[k].state, x));
    }
    return new Page<>(total, matched, r.page(), r.perPage(), page);
  }
}
