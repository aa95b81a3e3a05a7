package dev.kodo.cluster;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import java.util.Collection;
import java.util.HashSet;
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

  /**
   * Runs of one flow waiting for a worker; a launch beyond them is refused (503), not queued. Each
   * flow has a queue of its own ({@code kodo.runs.<flow>}), so a flow no worker takes does not hold
   * up the others.
   */
  int MAX_QUEUED_RUNS = 10_000;

  /** This member's id, unique in the cluster. */
  String memberId();

  int memberCount();

  /** Whether the member {@code memberId} is in the cluster now. */
  boolean memberAlive(String memberId);

  /** The address other members join this one at, as {@code host:port}. */
  String joinAddress();

  /**
   * Puts a run on its flow's queue for the next worker that offers the flow and has room.
   *
   * @throws KodoException (retryable) if {@link #MAX_QUEUED_RUNS} runs of the flow already wait
   */
  void dispatch(RunTicket ticket);

  /**
   * Takes a run back off its flow's queue if no worker took it yet; whether it did (then no worker
   * will ever execute it).
   */
  boolean withdraw(RunTicket ticket);

  /**
   * Whether the queue of {@code flow} has reached {@link #MAX_QUEUED_RUNS}: a launch now would not
   * be dispatched.
   */
  boolean runQueueFull(String flow);

  /** Whether a ticket of run {@code fid} waits on the queue of {@code flow} (reads the queue). */
  boolean queued(String flow, String fid);

  /**
   * Waits up to {@code timeoutMillis} for runs of the given flows and takes up to {@code max} of
   * those waiting; empty if none came.
   */
  List<RunTicket> takeRuns(Collection<String> flows, int max, long timeoutMillis)
      throws InterruptedException;

  /**
   * As {@link #takeRuns(Collection, int, long)} for every flow with a queue (tests and tools; a
   * worker names its flows).
   */
  default List<RunTicket> takeRuns(int max, long timeoutMillis) throws InterruptedException {
    // The queues are looked up again every 50 ms: one made on another member meanwhile counts.
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
      List<RunTicket> taken = takeRuns(queueDepths().keySet(), max, Math.min(left, 50));
      if (!taken.isEmpty() || left <= 50) {
        return taken;
      }
    }
  }

  /** Waits up to {@code timeoutMillis} for a run of any flow; null if none came. */
  default RunTicket takeRun(long timeoutMillis) throws InterruptedException {
    List<RunTicket> one = takeRuns(1, timeoutMillis);
    return one.isEmpty() ? null : one.get(0);
  }

  /** How many runs wait for a worker, all flows together. */
  default int queuedRuns() {
    int n = 0;
    for (int depth : queueDepths().values()) {
      n += depth;
    }
    return n;
  }

  /** How many runs wait for a worker, per flow (flows with a queue on the cluster). */
  Map<String, Integer> queueDepths();

  /** Puts (or replaces) a worker's entry in the cluster's {@code kodo.workers} map. */
  void advertise(WorkerInfo worker);

  /** Removes a worker's entry, when it stops. */
  void retire(String workerId);

  /** The workers advertised by members that are in the cluster now. */
  List<WorkerInfo> workers();

  /**
   * Sends a batch of events (all for runs of {@code node}) to that node, keeping their order; waits
   * while the node's queue is full ({@link #MAX_QUEUED_EVENT_BATCHES}): this is how a node that
   * stores more slowly than its flows emit slows them down.
   *
   * @throws KodoException (retryable) if the calling thread is interrupted while it waits (the
   *     interrupt status is kept), or this member leaves the cluster while it waits; the batch was
   *     not sent
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

  /**
   * For runs {@code worker} has just taken: those of {@code fids} that were killed before it took
   * them ({@link #killed}); every other one is assigned to it ({@link #assign}). One call for a
   * batch of runs (docs/performance.md#launch--final).
   */
  default Set<String> killedElseAssign(List<String> fids, String worker) {
    Set<String> killedBefore = new HashSet<>();
    for (String fid : fids) {
      if (killed(fid)) {
        killedBefore.add(fid);
      } else {
        assign(fid, worker);
      }
    }
    return killedBefore;
  }

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

  /** Calls {@code listener} with the id of each member that joins the cluster. */
  void onMemberJoined(Consumer<String> listener);

  /** The worker executing {@code fid}, or null. */
  String assignee(String fid);

  /**
   * Records that the node incarnation {@code node} runs on this member, so that the others can tell
   * which node a departed member was and reach it with {@link #nodeMessage}
   * (docs/architecture.md#two-nodes-one-database).
   */
  void announceNode(String node);

  /** The node incarnations on live members, the oldest member's first. */
  List<String> liveNodes();

  /**
   * The node incarnations of the member {@code memberId}: the one that runs (or ran) on it, and
   * those whose runs it took over ({@link #adoptNode}).
   */
  List<String> nodesOn(String memberId);

  /**
   * Records that this member's node took over the runs of {@code node}, which left: should this
   * member leave too, the node that takes over its runs takes over those as well.
   */
  void adoptNode(String node);

  /** Sends a message to every node's {@link #onNodeMessage} listeners (workers do not get it). */
  void nodeMessage(String message);

  /** Calls {@code listener} with every {@link #nodeMessage}, on the cluster's event thread. */
  void onNodeMessage(Consumer<String> listener);

  /** Leaves the cluster. */
  @Override
  void close();
}
