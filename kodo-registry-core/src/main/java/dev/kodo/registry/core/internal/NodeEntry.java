package dev.kodo.registry.core.internal;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.UnaryOperator;

/**
 * A node's identity in the index, shared by every snapshot while the node is registered, holding
 * its current {@link NodeState} and a copy of its liveness ({@link #connectedHeartbeat()}).
 * Heartbeats and probes swap the state without touching the snapshot, so they never wait for, nor
 * make, a copy of the index. Thread-safe.
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
   * (docs/performance.md#registry-searched-lists). Copied under this entry's monitor after every
   * swap, so it never goes back: it trails the state only by updates that have swapped and not yet
   * copied, none of which has returned. A reader that needs the two to agree reads the state and
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

  /**
   * {@link NodeState#connectedHeartbeat} of the current state, or of a state that an update still
   * in progress has just replaced.
   */
  long connectedHeartbeat() {
    return connectedHeartbeat;
  }

  NodeState update(UnaryOperator<NodeState> change) {
    NodeState updated = STATE.updateAndGet(this, change);
    // One copy at a time, each of the state current when it is made: a copy made after a newer one
    // would bring back what an update that has already returned replaced.
    synchronized (this) {
      connectedHeartbeat = state.connectedHeartbeat;
    }
    return updated;
  }
}
