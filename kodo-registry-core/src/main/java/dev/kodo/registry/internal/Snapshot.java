package dev.kodo.registry.internal;

import dev.kodo.registry.Glob;
import java.util.BitSet;
import java.util.Comparator;

/**
 * One version of the index: the nodes in name order, each with its flows and their joined search
 * text. Never changed once published; a write copies the list of nodes (references only — never
 * flows or texts), changes the copy and publishes it as the next snapshot, while readers go on
 * with the one they hold. The array of all flows is made on first use and kept.
 */
final class Snapshot {
  static final Snapshot EMPTY = new Snapshot(NodeList.empty());

  static final Comparator<NodeSlot> BY_NAME =
      Comparator.<NodeSlot, String>comparing(s -> s.entry.nameLower).thenComparing(s -> s.entry.name);

  private final NodeList list;
  private final NodeSlot[] sorted;
  private volatile FlowEntry[] flows;

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
  BitSet search(Glob g) {
    BitSet hits = new BitSet();
    int base = 0;
    for (NodeSlot s : sorted) {
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
