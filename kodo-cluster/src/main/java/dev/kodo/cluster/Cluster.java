package dev.kodo.cluster;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What nodes and workers need of the cluster (docs/architecture.md#components): the run queue, the
 * per-node event queues, the control topic, the runs killed before a worker took them, the
 * assignments of runs to workers and the members' departures. {@link KodoCluster} implements it on
 * Hazelcast; {@code dev.kodo.cluster.testing.InMemoryCluster} (module kodo-cluster-testing)
 * implements it in one JVM for unit tests, with the same bounds.
 *
 * <p>Implementations are thread-safe. Listeners are called on a thread of the implementation.
 */
public interface Cluster extends AutoCloseable {
  /**
   * Batches of events waiting for their node, per node. A sender waits while its node's queue is
   * full, so a flow that emits faster than its node stores slows down to the node's pace (the
   * worker's outbox fills and the flow's {@code ctx} calls wait) instead of filling memory.
   */
  int MAX_QUEUED_EVENT_BATCHES = 256;

  /** Runs waiting for a worker; a launch beyond them is refused (503), not queued. */
  int MAX_QUEUED_RUNS = 10_000;

  /** This member's id, unique in the cluster. */
  String memberId();

  int memberCount();

  /**
   * Puts a run on the cluster for the next free worker.
   *
   * @throws KodoException (retryable) if {@link #MAX_QUEUED_RUNS} runs already wait for a worker
   */
  void dispatch(RunTicket ticket);

  /**
   * Whether the run queue has reached {@link #MAX_QUEUED_RUNS}: a launch now would not be
   * dispatched.
   */
  boolean runQueueFull();

  /**
   * Waits up to {@code timeoutMillis} for runs to execute and takes up to {@code max} of those
   * waiting; empty if none came.
   */
  List<RunTicket> takeRuns(int max, long timeoutMillis) throws InterruptedException;

  /** Waits up to {@code timeoutMillis} for a run to execute; null if none came. */
  RunTicket takeRun(long timeoutMillis) throws InterruptedException;

  /** How many runs wait for a worker. */
  int queuedRuns();

  /**
   * How many runs wait for a worker, per flow path (flows with none waiting are absent): a snapshot
   * for metrics (docs/operations.md#metrics), not a consistent view; by default empty.
   */
  default Map<String, Integer> queuedRunsByFlow() {
    return Map.of();
  }

  /**
   * Sends a batch of events (all for runs of {@code node}) to that node, keeping their order; waits
   * while the node's queue is full ({@link #MAX_QUEUED_EVENT_BATCHES}): this is how a node that
   * stores more slowly than its flows emit slows them down.
   *
   * @throws KodoException (retryable) if the calling thread is interrupted while it waits; the
   *     batch was not sent and the interrupt status is kept
   */
  void sendEvents(String node, List<Event> events);

  /**
   * Waits up to {@code timeoutMillis} for events sent to {@code node}, then hands everything
   * waiting (in order) to {@code sink}; returns how many events it handed over. Events a member
   * sent for a run {@linkplain #assign assigned} to a worker on another member are dropped (and
   * counted in {@link #foreignEventsDropped()}).
   */
  int receiveEvents(String node, long timeoutMillis, Consumer<List<Event>> sink)
      throws InterruptedException;

  /**
   * A check that turns true once every batch of events for {@code node} that waits now, or is being
   * received right now, has been handed to a {@link #receiveEvents} sink of this member.
   */
  BooleanSupplier receivedUpToNow(String node);

  /**
   * Tells every worker to kill the run {@code fid}, wherever it executes; a run still waiting in
   * the queue is skipped when a worker takes it.
   */
  void kill(String fid);

  /** Whether the run {@code fid} was killed before a worker took it. */
  boolean killed(String fid);

  /** Sends a control message to the workers; the one executing its run acts on it. */
  void control(Control message);

  /** Calls {@code listener} with every control message any member sends. */
  void onControl(Consumer<Control> listener);

  /** Calls {@code onKill} with the fid of each run some member asks to kill. */
  default void onKill(Consumer<String> onKill) {
    onControl(
        c -> {
          if (c instanceof Control.Kill k) {
            onKill.accept(k.fid());
          }
        });
  }

  /**
   * How many events this member received from other members for runs they do not execute, and
   * dropped.
   */
  long foreignEventsDropped();

  /**
   * Records that {@code worker} executes run {@code fid} (or, with a null worker, that no one does
   * any more). A worker's id ends with {@code @<member id>} of the member it runs on.
   */
  void assign(String fid, String worker);

  /** Forgets who executes {@code fid}, without waiting for the cluster to confirm it. */
  void unassignLater(String fid);

  /**
   * The runs assigned to workers on the member {@code memberId} (a worker's id ends with
   * {@code @memberId}).
   */
  Set<String> assignedOnMember(String memberId);

  /**
   * Calls {@code listener} with the id of each member that leaves the cluster (crashed or stopped).
   */
  void onMemberLeft(Consumer<String> listener);

  /** The worker executing {@code fid}, or null. */
  String assignee(String fid);

  /** Leaves the cluster. */
  @Override
  void close();
}
