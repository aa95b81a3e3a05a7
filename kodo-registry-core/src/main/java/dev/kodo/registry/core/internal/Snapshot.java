package dev.kodo.registry.core.internal;

import dev.kodo.client.Deadline;
import dev.kodo.client.Glob;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;

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
  private volatile WordIndex words;

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

  int flowCount() {
    FlowEntry[] f = flows;
    if (f != null) return f.length;
    int n = 0;
    for (NodeSlot s : sorted) n += s.flows.length;
    return n;
  }
}
