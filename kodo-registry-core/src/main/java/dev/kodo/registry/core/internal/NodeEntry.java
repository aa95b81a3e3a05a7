package dev.kodo.registry.core.internal;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.UnaryOperator;

/**
 * A node's identity in the index, shared by every snapshot while the node is registered, holding
 * its current {@link NodeState}. Heartbeats and probes swap the state without touching the
 * snapshot, so they never wait for, nor make, a copy of the index. Thread-safe.
 */
public final class NodeEntry {
  private static final AtomicReferenceFieldUpdater<NodeEntry, NodeState> STATE =
      AtomicReferenceFieldUpdater.newUpdater(NodeEntry.class, NodeState.class, "state");

  final String name;
  final String nameLower;
  private volatile NodeState state;

  NodeEntry(NodeState initial) {
    this.name = initial.name;
    this.nameLower = Texts.lower(name);
    this.state = initial;
  }

  NodeState state() {
    return state;
  }

  NodeState update(UnaryOperator<NodeState> change) {
    return STATE.updateAndGet(this, change);
  }
}
