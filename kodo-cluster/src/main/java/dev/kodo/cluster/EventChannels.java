package dev.kodo.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.collection.ItemEvent;
import com.hazelcast.collection.ItemListener;
import com.hazelcast.core.HazelcastInstance;
import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way events go from workers to nodes (docs/architecture.md#events-from-workers-to-nodes). Each
 * node has a cluster queue, {@code kodo.events.<node>}, of encoded batches. A node that receives on
 * this member also has an inbox in memory here, and this member's own workers (a node's embedded
 * worker) put their batches there, as they are, instead of encoding them onto the cluster queue:
 * same bound ({@link Cluster#MAX_QUEUED_EVENT_BATCHES}), same wait for room, same checks of the
 * batch.
 *
 * <p>Order: a run's events come from one sender, and each sender takes one way to each node for as
 * long as this member lives — the inbox if the node was receiving here when this member first sent
 * to it, else the cluster queue — so a run's batches never pass each other. A receive takes from
 * both. It waits on the inbox's arrivals and on an item listener of the cluster queue (never in a
 * blocking poll of the cluster queue: see {@link #receive}).
 *
 * <p>Thread-safe.
 */
final class EventChannels {
  private static final Logger log = LoggerFactory.getLogger(EventChannels.class);
  private static final String EVENTS = "kodo.events.";
  private static final long SEND_WAIT_MILLIS = 1_000;
  private static final int BATCHES_PER_RECEIVE = 64;

  private final HazelcastInstance hz;
  private final Supplier<String> memberId;
  private final SenderCheck senders;
  private final Map<String, Intake> intakes = new ConcurrentHashMap<>();

  /** Per node, the way this member's senders take to it, chosen at the first send. */
  private final Map<String, Boolean> inMemory = new ConcurrentHashMap<>();

  private volatile boolean closed;

  /** Per node, on this member: its inbox, and the batches taken for it and handed to a sink. */
  private static final class Intake {
    /** Held by a receive while it takes batches and counts them. */
    final ReentrantLock taking = new ReentrantLock();

    final AtomicLong taken = new AtomicLong();
    final AtomicLong handed = new AtomicLong();

    /** Set by the first receive; from then on this member's senders may use the inbox. */
    volatile boolean receiving;

    boolean listening; // guarded by taking
    long drainedAt = -1; // guarded by taking: clusterArrivals at the last drain of the queue

    final ReentrantLock state = new ReentrantLock();
    final Condition arrived = state.newCondition(); // a batch came, to the inbox or the queue
    final Condition room = state.newCondition(); // the inbox has room again
    final ArrayDeque<List<Event>> inbox = new ArrayDeque<>(); // guarded by state
    long clusterArrivals; // guarded by state: counted by the queue's item listener
  }

  EventChannels(HazelcastInstance hz, Supplier<String> memberId, SenderCheck senders) {
    this.hz = hz;
    this.memberId = memberId;
    this.senders = senders;
  }

  private IQueue<byte[]> queue(String node) {
    return hz.getQueue(EVENTS + node);
  }

  private Intake intake(String node) {
    return intakes.computeIfAbsent(node, n -> new Intake());
  }

  /** See {@link Cluster#sendEvents}. */
  void send(String node, List<Event> events) {
    boolean here =
        inMemory.computeIfAbsent(
            node,
            n -> {
              Intake receiver = intakes.get(n); // a sender alone makes no intake for the node
              return receiver != null && receiver.receiving;
            });
    if (here) {
      putInInbox(node, intake(node), EventCodec.asReceived(events));
    } else {
      offerToQueue(node, EventCodec.encode(memberId.get(), events), events.size());
    }
  }

  private void offerToQueue(String node, byte[] batch, int size) {
    IQueue<byte[]> q = queue(node);
    long waitedMillis = 0;
    try {
      while (!q.offer(batch, SEND_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        waitedMillis = waited(node, waitedMillis);
      }
    } catch (InterruptedException e) {
      throw interrupted(node, size, e);
    }
  }

  private void putInInbox(String node, Intake intake, List<Event> events) {
    long waitedMillis = 0;
    intake.state.lock();
    try {
      while (closed || intake.inbox.size() >= Cluster.MAX_QUEUED_EVENT_BATCHES) {
        if (closed) {
          throw KodoException.retryable(
              "this cluster member has left the cluster; "
                  + events.size()
                  + " event(s) for node "
                  + node
                  + " were not sent",
              null);
        }
        if (!intake.room.await(SEND_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          waitedMillis = waited(node, waitedMillis);
        }
      }
      intake.inbox.add(events);
      intake.arrived.signalAll();
    } catch (InterruptedException e) {
      throw interrupted(node, events.size(), e);
    } finally {
      intake.state.unlock();
    }
  }

  private static long waited(String node, long waitedMillis) {
    waitedMillis += SEND_WAIT_MILLIS;
    if (waitedMillis % 30_000 == 0) {
      log.warn(
          "the event queue of node {} has been full for {} s; the sender keeps waiting (is the node running?)",
          node,
          waitedMillis / 1000);
    }
    return waitedMillis;
  }

  private static KodoException interrupted(String node, int events, InterruptedException e) {
    Thread.currentThread().interrupt();
    return KodoException.retryable(
        "interrupted while waiting for room in the event queue of node "
            + node
            + "; "
            + events
            + " event(s) were not sent",
        e);
  }

  /**
   * See {@link Cluster#receiveEvents}. Waits for arrivals rather than in a blocking poll of the
   * cluster queue: a poll waits on the member that holds the queue's primary copy, and one left
   * waiting there by a member that was killed would be handed the next batch and lose it
   * (docs/architecture.md#two-nodes-one-database). The cluster queue is drained when its listener
   * counted an arrival since the last drain, on the first receive, and when a wait ends with
   * nothing.
   */
  int receive(String node, long timeoutMillis, Consumer<List<Event>> sink)
      throws InterruptedException {
    Intake intake = intake(node);
    IQueue<byte[]> q = queue(node);
    List<List<Event>> local = new ArrayList<>();
    List<byte[]> remote = new ArrayList<>();
    intake.taking.lockInterruptibly();
    try {
      listen(q, intake);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      boolean last = false;
      while (true) {
        long arrivals;
        intake.state.lock();
        try {
          for (int i = 0; i < BATCHES_PER_RECEIVE && !intake.inbox.isEmpty(); i++) {
            local.add(intake.inbox.poll());
          }
          if (!local.isEmpty()) {
            intake.room.signalAll();
          }
          arrivals = intake.clusterArrivals;
        } finally {
          intake.state.unlock();
        }
        if (arrivals != intake.drainedAt || last) {
          q.drainTo(remote, BATCHES_PER_RECEIVE);
          intake.drainedAt = arrivals;
        }
        if (!local.isEmpty() || !remote.isEmpty() || last) {
          break;
        }
        intake.state.lock();
        try {
          long left = deadline - System.nanoTime();
          if (intake.inbox.isEmpty() && intake.clusterArrivals == arrivals) {
            left = left > 0 ? intake.arrived.awaitNanos(left) : 0;
          }
          last = left <= 0;
        } finally {
          intake.state.unlock();
        }
      }
      intake.taken.addAndGet(local.size() + remote.size());
    } finally {
      intake.taking.unlock();
    }
    try {
      return handOver(node, local, remote, sink);
    } finally {
      intake.handed.addAndGet(local.size() + remote.size());
    }
  }

  /** Registers the cluster queue's item listener, once; from then on the inbox may be used. */
  private void listen(IQueue<byte[]> q, Intake intake) {
    if (intake.listening) {
      return;
    }
    q.addItemListener(
        new ItemListener<>() {
          @Override
          public void itemAdded(ItemEvent<byte[]> item) {
            intake.state.lock();
            try {
              intake.clusterArrivals++;
              intake.arrived.signalAll();
            } finally {
              intake.state.unlock();
            }
          }

          @Override
          public void itemRemoved(ItemEvent<byte[]> item) {}
        },
        false);
    intake.listening = true;
    intake.receiving = true;
  }

  private int handOver(
      String node, List<List<Event>> local, List<byte[]> remote, Consumer<List<Event>> sink) {
    List<EventCodec.Batch> batches = new ArrayList<>(local.size() + remote.size());
    String self = memberId.get();
    for (List<Event> events : local) {
      batches.add(new EventCodec.Batch(self, events));
    }
    for (byte[] b : remote) {
      // One unreadable batch (from a member of another release) must not take the good ones with
      // it.
      try {
        batches.add(EventCodec.decode(b));
      } catch (RuntimeException e) {
        log.error(
            "dropped a batch of events for node {} ({} bytes): {}", node, b.length, e.getMessage());
      }
    }
    List<Event> events = senders.admit(batches);
    if (!events.isEmpty()) {
      sink.accept(events);
    }
    return events.size();
  }

  /** See {@link Cluster#receivedUpToNow}. */
  BooleanSupplier receivedUpToNow(String node) {
    Intake intake = intake(node);
    IQueue<byte[]> q = queue(node);
    long waiting;
    intake.taking.lock();
    try {
      intake.state.lock();
      try {
        waiting = intake.taken.get() + intake.inbox.size();
      } finally {
        intake.state.unlock();
      }
      waiting += q.size();
    } finally {
      intake.taking.unlock();
    }
    long target = waiting;
    return () -> intake.handed.get() >= target;
  }

  /** Wakes the senders waiting for room in an inbox: they fail, the member has left. */
  void close() {
    closed = true;
    for (Intake intake : intakes.values()) {
      intake.state.lock();
      try {
        intake.room.signalAll();
      } finally {
        intake.state.unlock();
      }
    }
  }
}
