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

  /**
   * The current state's {@link NodeState#connectedHeartbeat}, kept here too so that a list judges
   * {@code online} from this small object — which stays put — rather than from the state, which
   * every heartbeat makes anew somewhere else on the heap
   * (docs/performance.md#registry-searched-lists). It trails the state by at most the moment
   * between an update's swap and its copy: a reader that needs the two to agree reads the state and
   * judges again ({@link FlowLists}).
   */
  private volatile long connectedHeartbeat;

  NodeEntry(NodeState initial) {
    this.name = initial.name;
    this.nameLower = Texts.lower(name);
    this.state = initial;
    this.connectedHeartbeat = initial.connectedHeartbeat;
  }

  NodeState state() {
    return state;
  }

  /** {@link NodeState#connectedHeartbeat} of the current state, or of the one just before it. */
  long connectedHeartbeat() {
    return connectedHeartbeat;
  }

  NodeState update(UnaryOperator<NodeState> change) {
    NodeState updated = STATE.updateAndGet(this, change);
    // Copied until the state read is still the current one after the write: whichever update
    // writes last copies the state that is current at its end, so no copy outlives a newer state.
    NodeState current;
    do {
      current = state;
      connectedHeartbeat = current.connectedHeartbeat;
    } while (state != current);
    return updated;
  }
}
