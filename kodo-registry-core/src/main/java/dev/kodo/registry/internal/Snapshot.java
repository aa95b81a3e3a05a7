package dev.kodo.registry.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * One version of the index: the nodes by name, each with its flows. Never changed once published;
 * a write makes a new snapshot (copying the map of nodes, not the flows) and readers go on with
 * the one they hold. The sorted arrays lists are made from are built on first use and kept.
 */
final class Snapshot {
  static final Snapshot EMPTY = new Snapshot(Map.of());

  private static final Comparator<NodeSlot> BY_NAME =
      Comparator.<NodeSlot, String>comparing(s -> s.entry.nameLower).thenComparing(s -> s.entry.name);

  final Map<String, NodeSlot> nodes;
  private volatile NodeSlot[] sortedNodes;
  private volatile FlowEntry[] flows;
  private volatile SearchText searchText;

  Snapshot(Map<String, NodeSlot> nodes) {
    this.nodes = nodes;
  }

  /** The nodes in the default order (by name). */
  NodeSlot[] sortedNodes() {
    NodeSlot[] s = sortedNodes;
    if (s == null) {
      s = nodes.values().toArray(NodeSlot[]::new);
      Arrays.sort(s, BY_NAME);
      sortedNodes = s;
    }
    return s;
  }

  /** Every flow in the default order (by node name, then path). */
  FlowEntry[] flows() {
    FlowEntry[] f = flows;
    if (f == null) {
      NodeSlot[] slots = sortedNodes();
      int n = 0;
      for (NodeSlot s : slots) n += s.flows.length;
      f = new FlowEntry[n];
      int at = 0;
      for (NodeSlot s : slots) {
        System.arraycopy(s.flows, 0, f, at, s.flows.length);
        at += s.flows.length;
      }
      flows = f;
    }
    return f;
  }

  /** The flows' searchable texts joined, in the order of {@link #flows()}. */
  SearchText searchText() {
    SearchText t = searchText;
    if (t == null) {
      t = SearchText.of(flows());
      searchText = t;
    }
    return t;
  }

  int flowCount() {
    FlowEntry[] f = flows;
    if (f != null) return f.length;
    int n = 0;
    for (NodeSlot s : nodes.values()) n += s.flows.length;
    return n;
  }
}
