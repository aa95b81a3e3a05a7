package dev.kodo.registry.core.internal;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One version of the index: the nodes in name order, each with its flows and their joined search
 * text. Never changed once published; a write copies the list of nodes (references only — never
 * flows or texts), changes the copy and publishes it as the next snapshot, while readers go on with
 * the one they hold. The array of all flows is made on first use and kept.
 */
final class Snapshot {
  static final Snapshot EMPTY = new Snapshot(NodeList.empty());

  static final Comparator<NodeSlot> BY_NAME =
      Comparator.<NodeSlot, String>comparing(s -> s.entry.nameLower)
          .thenComparing(s -> s.entry.name);

  private final NodeList list;
  private final NodeSlot[] sorted;
  private volatile FlowEntry[] flows;
  private volatile int[] visibleFlows;
  private volatile NodeEntry[] flowNodes;
  private volatile WordIndex words;

  /** At most this many {@link #candidates} are kept per snapshot (about 12 KB each). */
  static final int MAX_CANDIDATES = 256;

  /** At most this many {@link #ranks} are kept per snapshot (two ints per flow each). */
  static final int MAX_RANKS = 16;

  private final Map<String, BitSet> candidates = new ConcurrentHashMap<>();
  private final Map<String, Ranks> ranks = new ConcurrentHashMap<>();
  private final Set<String> ranking = ConcurrentHashMap.newKeySet();

  /**
   * Every flow's place in one order that reads only what is fixed for the snapshot ({@link
   * FlowScope#FIXED}) and ends with the default order: {@code rank[i]} is the place of flow {@code
   * i}, {@code flow[r]} the flow in place {@code r}. Immutable once made.
   */
  record Ranks(int[] rank, int[] flow) {}

  Snapshot(NodeList list) {
    this.list = list;
    this.sorted = list.toArray();
  }

  /** A copy of the nodes for a writer to change. */
  NodeList edit() {
    return list.copy();
  }

  /** The node called {@code name}, or null. */
  NodeSlot node(String name) {
    return list.get(name);
  }

  int size() {
    return sorted.length;
  }

  /** The nodes in the default order (by name). */
  NodeSlot[] sortedNodes() {
    return sorted;
  }

  /** Every flow in the default order (by node name, then path). */
  FlowEntry[] flows() {
    FlowEntry[] f = flows;
    if (f == null) {
      f = new FlowEntry[flowCount()];
      int at = 0;
      for (NodeSlot s : sorted) {
        System.arraycopy(s.flows, 0, f, at, s.flows.length);
        at += s.flows.length;
      }
      flows = f;
    }
    return f;
  }

  /** The flows (by their index in {@link #flows()}) whose searchable texts the glob matches. */
  /**
   * The indexes (in {@link #flows()}) of the flows that are not hidden, made on first use and kept:
   * hiding publishes a new snapshot, so they stay true for this one.
   */
  int[] visibleFlows() {
    int[] v = visibleFlows;
    if (v == null) {
      FlowEntry[] f = flows();
      int[] out = new int[f.length];
      int n = 0;
      for (int i = 0; i < f.length; i++) {
        if (!f[i].hidden(f[i].node.state())) out[n++] = i;
      }
      v = n == out.length ? out : Arrays.copyOf(out, n);
      visibleFlows = v;
    }
    return v;
  }

  /** Whether this snapshot's {@link WordIndex} is made (searches then need not scan the texts). */
  boolean hasWords() {
    return words != null;
  }

  /**
   * Makes this snapshot's {@link WordIndex} (a few hundred milliseconds at 100,000 flows);
   * idempotent.
   */
  void makeWords() {
    if (words == null) words = WordIndex.of(flows());
  }

  /**
   * The flows (by their index in {@link #flows()}) whose searchable texts the glob matches: from
   * the word index when it is made and can answer, else by scanning the joined texts.
   */
  BitSet search(Glob g) {
    WordIndex w = words;
    if (w != null) {
      BitSet found = w.find(g, flows());
      if (found != null) return found;
    }
    return scan(g);
  }

  /**
   * {@link #search} by scanning every node's joined texts; stops when the request's deadline
   * passes.
   */
  BitSet scan(Glob g) {
    BitSet hits = new BitSet(flowCount());
    int base = 0;
    for (NodeSlot s : sorted) {
      Deadline.check();
      s.text.find(g, hits, base);
      base += s.flows.length;
    }
    return hits;
  }

  /**
   * The flows (by their index in {@link #flows()}) that the search matches, for which {@code fixed}
   * holds and, unless {@code hidden}, that are not hidden — all of which read only what never
   * changes in a snapshot ({@link FlowScope#FIXED}; hiding publishes a new snapshot, as {@link
   * #visibleFlows()} has it), so the answer is kept under {@code key} (which must name the search,
   * the expression and {@code hidden} exactly) for the next request asking the same; up to {@link
   * #MAX_CANDIDATES}, then made per request. Never changed once answered.
   *
   * @param search the search, or null for every flow
   * @param fixed the filter, or null for none
   * @param hidden whether hidden flows are candidates
   */
  BitSet candidates(String key, Glob search, Expr<FlowEntry> fixed, boolean hidden, Eval x) {
    BitSet kept = candidates.get(key);
    if (kept != null) return kept;
    FlowEntry[] f = flows();
    BitSet found;
    if (search != null) {
      found = search(search); // a new set on every call: ours to change
    } else {
      found = new BitSet(f.length);
      found.set(0, f.length);
    }
    if (fixed != null || !hidden) {
      int steps = 0;
      for (int i = found.nextSetBit(0); i >= 0; i = found.nextSetBit(i + 1)) {
        if ((steps++ & 0xfff) == 0) Deadline.check();
        NodeState n = f[i].node.state();
        if ((!hidden && f[i].hidden(n)) || (fixed != null && !fixed.test(f[i], n, x))) {
          found.clear(i);
        }
      }
    }
    if (candidates.size() < MAX_CANDIDATES) candidates.putIfAbsent(key, found);
    return found;
  }

  /**
   * The node of every flow, by the flow's index in {@link #flows()}: read in the order of the
   * candidates, so that judging a candidate's node does not first load the flow itself.
   */
  NodeEntry[] flowNodes() {
    NodeEntry[] o = flowNodes;
    if (o == null) {
      FlowEntry[] f = flows();
      o = new NodeEntry[f.length];
      for (int i = 0; i < f.length; i++) o[i] = f[i].node;
      flowNodes = o;
    }
    return o;
  }

  /** The ranks of the flows in the order named {@code key}, if {@linkplain #makeRanks made}. */
  Ranks ranks(String key) {
    return ranks.get(key);
  }

  /**
   * Claims the making of the ranks named {@code key}: false if they are made or being made, or if
   * there is no room for them. {@link #rankingEnds} gives the claim back.
   */
  boolean rankingStarts(String key) {
    return !ranks.containsKey(key) && roomForRanks() && ranking.add(key);
  }

  void rankingEnds(String key) {
    ranking.remove(key);
  }

  /** Whether there is room for ranks of another order (at most {@link #MAX_RANKS}). */
  boolean roomForRanks() {
    return ranks.size() < MAX_RANKS;
  }

  /**
   * Ranks every flow by {@code order} (which must read only {@link FlowScope#FIXED} fields and end
   * with {@link Hit#order()}, the default order) and keeps that as {@code key}: about a tenth of a
   * second at 100,000 flows, so made off the request path. Idempotent.
   */
  void makeRanks(String key, Comparator<Hit<FlowEntry>> order) {
    if (ranks.containsKey(key) || !roomForRanks()) return;
    FlowEntry[] f = flows();
    @SuppressWarnings("unchecked")
    Hit<FlowEntry>[] hits = new Hit[f.length];
    for (int i = 0; i < f.length; i++) hits[i] = new Hit<>(f[i], f[i].node.state(), i);
    Arrays.sort(hits, order);
    int[] rank = new int[f.length];
    int[] flow = new int[f.length];
    for (int r = 0; r < hits.length; r++) {
      rank[hits[r].order] = r;
      flow[r] = hits[r].order;
    }
    ranks.putIfAbsent(key, new Ranks(rank, flow));
  }

  int flowCount() {
    FlowEntry[] f = flows;
    if (f != null) return f.length;
    int n = 0;
    for (NodeSlot s : sorted) n += s.flows.length;
    return n;
  }
}
