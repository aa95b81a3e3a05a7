package dev.kodo.registry.core.internal;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.registry.core.ListRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Makes one page of a searched, filtered or sorted list of flows — the same page {@link Lists#page}
 * makes from the same node states, item for item, with each part of the work done as seldom as its
 * inputs change (docs/performance.md#registry-searched-lists):
 *
 * <ul>
 *   <li>the search, visibility and the query's parts that read only what a snapshot fixes ({@link
 *       FlowScope#FIXED}) are answered once per snapshot and kept ({@link Snapshot#candidates}): a
 *       request starts from those candidates and, for each, looks only at its node (through {@link
 *       Snapshot#flowNodes}, not the flow);
 *   <li>the query's parts that read only the node's changing state (online, heartbeat) are judged
 *       once per node state, not once per flow, when a node's flows follow one another;
 *   <li>sort keys that read only what a snapshot fixes are ranked once per snapshot ({@link
 *       Snapshot#ranks}, made in the background): the page is then picked from the matches' ranks —
 *       plain longs — instead of comparing records key by key. Until the ranks are there, and for
 *       keys read from the node's changing state, hits are compared as {@link Lists} does.
 * </ul>
 *
 * When the query's changing part is {@code online} alone (or there is none) and the order needs no
 * node state, candidates are judged by the liveness each {@link NodeEntry} keeps beside its state
 * ({@link NodeEntry#connectedHeartbeat()}, which may trail an update still in progress), and only
 * the page's records load their node's state ({@link #byLiveness}); otherwise each candidate loads
 * its node's state. Either way the records of a page are made from a node state that the match
 * holds by. Stateless.
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
    int capacity = found.cardinality();
    int from = r.from(capacity);
    int to = r.to(capacity);

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

    Boolean online = split.both() == null && x.byHeartbeat ? onlineOnly(split.node()) : null;
    if (online != null && (byIndex || byRank)) {
      Page<RegistryFlow> p =
          byLiveness(s, r, found, capacity, split.node(), online, byIndex ? null : ranks, total, x);
      if (p != null) return p;
    }

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

  /**
   * What {@code online} must be for the query's node part {@code node} to hold, when that part
   * reads nothing else: {@code TRUE} for {@code online}, {@code FALSE} for {@code online = false};
   * also {@code TRUE} when there is no node part (nothing to judge). Null for any other part.
   */
  private static Boolean onlineOnly(Expr<FlowEntry> node) {
    if (node == null) return Boolean.TRUE;
    if (node instanceof Expr.BoolIs<FlowEntry> b && b.field().equals("online")) return b.value();
    return null;
  }

  /**
   * The page when the query's changing part is {@code online} alone (or absent) and the order needs
   * no node state (the default order, or ranks): candidates are judged by their node's {@link
   * NodeEntry#connectedHeartbeat()}, without loading any node's state, and only the page's records
   * load theirs. Each is judged again by that state; if one no longer holds (its node went offline
   * or came back between the two reads), answers null and the caller judges every candidate by its
   * state, as before.
   *
   * @param candidates how many flows {@code found} holds
   * @param ranks the order's ranks; null for the default order (by index)
   */
  private static Page<RegistryFlow> byLiveness(
      Snapshot s,
      ListRequest r,
      BitSet found,
      int candidates,
      Expr<FlowEntry> node,
      boolean online,
      Snapshot.Ranks ranks,
      int total,
      Eval x) {
    NodeEntry[] owners = s.flowNodes();
    int from = r.from(candidates);
    int to = r.to(candidates);
    int[] window = new int[to - from];
    long[] keyed = ranks == null ? null : new long[candidates];
    NodeEntry owner = null;
    boolean holds = true;
    int matched = 0;
    int steps = 0;
    for (int i = found.nextSetBit(0); i >= 0; i = found.nextSetBit(i + 1)) {
      if ((steps++ & 0xfff) == 0) Deadline.check();
      if (node != null && owners[i] != owner) { // a node's flows follow one another
        owner = owners[i];
        holds = x.online(owner.connectedHeartbeat()) == online;
      }
      if (!holds) continue;
      if (ranks != null) {
        keyed[matched] = (long) ranks.rank()[i] << 32 | i;
      } else if (matched >= from && matched < to) {
        window[matched - from] = i;
      }
      matched++;
    }
    int end = Math.min(to, matched);
    int size = Math.max(0, end - from);
    if (ranks != null && size > 0) {
      Select.range(keyed, matched, from, end);
      for (int k = 0; k < size; k++) window[k] = (int) keyed[from + k];
    }
    FlowEntry[] entries = s.flows();
    List<RegistryFlow> page = new ArrayList<>(size);
    Map<NodeEntry, NodeState> states = new IdentityHashMap<>();
    for (int k = 0; k < size; k++) {
      int i = window[k];
      // One state per node for the whole page, as when every candidate loads its node's state.
      NodeState n = states.computeIfAbsent(owners[i], NodeEntry::state);
      if (node != null && !node.test(entries[i], n, x)) return null;
      page.add(Records.flow(entries[i], n, x));
    }
    return new Page<>(total, matched, r.page(), r.perPage(), page);
  }
}
