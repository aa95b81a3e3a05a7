package dev.kodo.registry.core.internal;

import dev.kodo.client.Constraints;
import java.util.Arrays;
import java.util.Map;

/**
 * A node as one snapshot holds it: its entry (whose state moves on by itself), its flows sorted by
 * path with their joined search text, and an admin's flow constraints by path. Immutable.
 */
final class NodeSlot {
  final NodeEntry entry;
  final FlowEntry[] flows;
  final Map<String, Constraints> flowConstraints;
  final SearchText text;

  NodeSlot(NodeEntry entry, FlowEntry[] flows, Map<String, Constraints> flowConstraints) {
    this.entry = entry;
    this.flows = flows;
    this.flowConstraints = flowConstraints;
    this.text = SearchText.of(flows);
  }

  /**
   * A stand-in holding only how many flows a node record says it has, for evaluating node queries
   * on records.
   */
  static NodeSlot counting(NodeEntry entry, int flows) {
    return new NodeSlot(entry, flows);
  }

  private NodeSlot(NodeEntry entry, int flows) {
    this.entry = entry;
    this.flows = new FlowEntry[flows];
    this.flowConstraints = Map.of();
    this.text = SearchText.EMPTY;
  }

  /** The flow with this path, or null. */
  FlowEntry flow(String path) {
    int i =
        Arrays.binarySearch(
            flows, null, (a, b) -> a == null ? -b.path.compareTo(path) : a.path.compareTo(path));
    return i >= 0 ? flows[i] : null;
  }

  /** The paths its flows share ({@link FlowPaths#NONE} when it has none). */
  FlowPaths paths() {
    return flows.length == 0 ? FlowPaths.NONE : flows[0].paths;
  }

  Constraints constraintsOf(String path) {
    return flowConstraints.getOrDefault(path, Constraints.NONE);
  }
}
