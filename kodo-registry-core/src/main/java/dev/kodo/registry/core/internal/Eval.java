package dev.kodo.registry.core.internal;

/**
 * What one evaluation of a query or sort sees besides the records: the time it was made at (for
 * {@code online} and {@code heartbeat_age}) and the heartbeat timeout. One per request, so that
 * every record of a list is judged at the same instant.
 */
public final class Eval {
  final long now;
  final long timeoutMillis;

  /**
   * Whether {@link #online(NodeState)} is judged from the state's heartbeat, so by {@link
   * #online(long)} alone; false for records, which already say whether their node is online.
   */
  final boolean byHeartbeat;

  public Eval(long now, long timeoutMillis) {
    this(now, timeoutMillis, true);
  }

  private Eval(long now, long timeoutMillis, boolean byHeartbeat) {
    this.now = now;
    this.timeoutMillis = timeoutMillis;
    this.byHeartbeat = byHeartbeat;
  }

  /** Whether the node is online: connected and heard from within the timeout. */
  boolean online(NodeState n) {
    return byHeartbeat ? online(n.connectedHeartbeat) : n.connected;
  }

  /**
   * What {@link #online(NodeState)} answers, {@link #byHeartbeat by the heartbeat}, for a state of
   * this {@link NodeState#connectedHeartbeat}.
   */
  boolean online(long connectedHeartbeat) {
    // connected && heartbeat != NEVER && now - heartbeat <= timeout
    return connectedHeartbeat != NodeState.NEVER && now - connectedHeartbeat <= timeoutMillis;
  }

  /** Seconds since the node was last heard from, NaN if never. */
  double heartbeatAge(NodeState n) {
    return n.heartbeat == Long.MIN_VALUE ? Double.NaN : (now - n.heartbeat) / 1000.0;
  }

  /** For records that already say whether their node is online. */
  static Eval ofRecords(long now) {
    return new Eval(now, Long.MAX_VALUE, false);
  }
}
