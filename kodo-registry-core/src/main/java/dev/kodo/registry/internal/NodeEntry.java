package dev.kodo.registry.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A node's identity in the index, shared by every snapshot while the node is registered, holding
 * its current {@link NodeState}. Heartbeats and probes swap the state without touching the
 * snapshot, so they never wait for, nor make, a copy of the index. Thread-safe.
 */
public final class NodeEntry {
  final String name;
  final String nameLower;
  private final AtomicReference<NodeState> state;

  NodeEntry(NodeState initial) {
    this.name = initial.name;
    this.nameLower = Texts.lower(name);
    this.state = new AtomicReference<>(initial);
  }

  NodeState state() {
    return state.get();
  }

  NodeState update(UnaryOperator<NodeState> change) {
    return state.updateAndGet(change);
  }
}
