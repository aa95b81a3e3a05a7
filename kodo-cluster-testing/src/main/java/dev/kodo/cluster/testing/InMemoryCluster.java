package dev.kodo.cluster.testing;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.Control;
import dev.kodo.cluster.RunTicket;
import dev.kodo.cluster.WorkerInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Cluster} of one member in this JVM, for unit tests of nodes and workers without
 * Hazelcast (like okhttp's MockWebServer stands in for a server). It keeps what the real one
 * promises: the run queue holds at most {@link #MAX_QUEUED_RUNS} tickets by default and a launch
 * beyond it is refused; each node's event queue holds at most {@link #MAX_QUEUED_EVENT_BATCHES}
 * batches and a sender waits for room; control messages and member departures reach their listeners
 * on another thread, in order, as Hazelcast's event thread does.
 *
 * <p>Tests can make a member leave ({@link #memberLeft}) and read what waits ({@link
 * #queuedEventBatches}). Events are always taken as sent by this member, so {@link
 * #foreignEventsDropped()} stays 0: checks of senders need {@code KodoCluster}.
 *
 * <p>Thread-safe. {@link #close()} stops delivering to listeners.
 */
public final class InMemoryCluster implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(InMemoryCluster.class);

  private final String memberId;
  private final int maxQueuedRuns;
  private final int maxQueuedEventBatches;
  private final Map<String, BlockingQueue<RunTicket>> runs = new ConcurrentHashMap<>();
  private final Object arrivals = new Object(); // notified when a run is dispatched
  private final Map<String, WorkerInfo> workers = new ConcurrentHashMap<>();
  private final Set<String> departed = ConcurrentHashMap.newKeySet();
  private final List<Consumer<String>> joinListeners = new CopyOnWriteArrayList<>();
  private final Map<String, BlockingQueue<List<Event>>> events = new ConcurrentHashMap<>();
  private final Map<String, Intake> intakes = new ConcurrentHashMap<>();
  private final Set<String> killed = ConcurrentHashMap.newKeySet();
  private final Map<String, String> assignments = new ConcurrentHashMap<>();
  private final List<Consumer<Control>> controlListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> nodeMessageListeners = new CopyOnWriteArrayList<>();
  private final Map<String, String> nodes =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
  private final List<Consumer<String>> memberListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService eventThread;

  /** Per node: event batches taken off its queue, and those of them handed to a sink. */
  private static final class Intake {
    final ReentrantLock taking =
        new ReentrantLock(); // guards taking batches together with counting them
    final AtomicLong taken = new AtomicLong();
    final AtomicLong handed = new AtomicLong();
  }

  /** A member with a random id and the real bounds. */
  public InMemoryCluster() {
    this(UUID.randomUUID().toString(), MAX_QUEUED_RUNS, MAX_QUEUED_EVENT_BATCHES);
  }

  /** A member with smaller (or larger) queues, to reach their bounds quickly. */
  public InMemoryCluster(String memberId, int maxQueuedRuns, int maxQueuedEventBatches) {
    this.memberId = memberId;
    this.maxQueuedRuns = maxQueuedRuns;
    this.maxQueuedEventBatches = maxQueuedEventBatches;
    this.eventThread =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("kodo-memory-cluster-events").unstarted(r));
  }

  @Override
  public String memberId() {
    return memberId;
  }

  @Override
  public int memberCount() {
    return 1;
  }

  @Override
  public boolean memberAlive(String member) {
    return member.equals(memberId) && !departed.contains(member);
  }

  @Override
  public String joinAddress() {
    return "127.0.0.1:0";
  }

  private BlockingQueue<RunTicket> runQueue(String flow) {
    return runs.computeIfAbsent(flow, f -> new LinkedBlockingQueue<>(maxQueuedRuns));
  }

  @Override
  public void dispatch(RunTicket ticket) {
    if (!runQueue(ticket.flow()).offer(ticket)) {
      throw KodoException.retryable(
          "the run queue is full for flow "
              + ticket.flow()
              + " ("
              + maxQueuedRuns
              + " runs wait for a worker);"
              + " run "
              + ticket.fid()
              + " was not dispatched",
          null);
    }
    synchronized (arrivals) {
      arrivals.notifyAll();
    }
  }

  @Override
  public boolean withdraw(RunTicket ticket) {
    return runQueue(ticket.flow()).remove(ticket);
  }

  @Override
  public boolean queued(String flow, String fid) {
    return runQueue(flow).stream().anyMatch(t -> t.fid().equals(fid));
  }

  @Override
  public boolean runQueueFull(String flow) {
    return runQueue(flow).size() >= maxQueuedRuns;
  }

  @Override
  public List<RunTicket> takeRuns(Collection<String> flows, int max, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      List<RunTicket> taken = new ArrayList<>();
      synchronized (arrivals) {
        for (String flow : flows) {
          BlockingQueue<RunTicket> q = runs.get(flow);
          if (q != null && taken.size() < max) {
            q.drainTo(taken, max - taken.size());
          }
        }
        if (!taken.isEmpty()) {
          return taken;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        TimeUnit.NANOSECONDS.timedWait(arrivals, left);
      }
    }
  }

  @Override
  public Map<String, Integer> queueDepths() {
    Map<String, Integer> depths = new TreeMap<>();
    runs.forEach((flow, q) -> depths.put(flow, q.size()));
    return depths;
  }

  @Override
  public void advertise(WorkerInfo worker) {
    workers.put(worker.id(), worker);
  }

  @Override
  public void retire(String workerId) {
    workers.remove(workerId);
  }

  @Override
  public List<WorkerInfo> workers() {
    List<WorkerInfo> out = new ArrayList<>();
    for (WorkerInfo w : workers.values()) {
      if (memberAlive(w.member())) {
        out.add(w);
      }
    }
    out.sort(Comparator.comparing(WorkerInfo::id));
    return out;
  }

  @Override
  public void sendEvents(String node, List<Event> batch) {
    try {
      queue(node).put(List.copyOf(batch));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KodoException.retryable(
          "interrupted while waiting for room in the event queue of node "
              + node
              + "; "
              + batch.size()
              + " event(s) were not sent",
          e);
    }
  }

  @Override
  public int receiveEvents(String node, long timeoutMillis, Consumer<List<Event>> sink)
      throws InterruptedException {
    BlockingQueue<List<Event>> q = queue(node);
    Intake intake = intake(node);
    List<List<Event>> batches = new ArrayList<>();
    intake.taking.lockInterruptibly();
    try {
      List<Event> first = q.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (first == null) {
        return 0;
      }
      batches.add(first);
      q.drainTo(batches, 64);
      intake.taken.addAndGet(batches.size());
    } finally {
      intake.taking.unlock();
    }
    try {
      List<Event> all = new ArrayList<>();
      batches.forEach(all::addAll);
      if (!all.isEmpty()) {
        sink.accept(all);
      }
      return all.size();
    } finally {
      intake.handed.addAndGet(batches.size());
    }
  }

  @Override
  public BooleanSupplier receivedUpToNow(String node) {
    Intake intake = intake(node);
    long target;
    intake.taking.lock();
    try {
      target = intake.taken.get() + queue(node).size();
    } finally {
      intake.taking.unlock();
    }
    return () -> intake.handed.get() >= target;
  }

  /** How many batches of events wait for {@code node}. */
  public int queuedEventBatches(String node) {
    return queue(node).size();
  }

  @Override
  public void kill(String fid) {
    killed.add(fid);
    control(new Control.Kill(fid));
  }

  private volatile boolean batchChecksFail;

  /**
   * Makes {@link #killedElseAssign} fail (or work again), as a cluster call a worker makes for a
   * taken batch of runs can: each run then asks on its own.
   */
  public void failBatchChecks(boolean fail) {
    batchChecksFail = fail;
  }

  @Override
  public Set<String> killedElseAssign(List<String> fids, String worker) {
    if (batchChecksFail) {
      throw KodoException.retryable("the batch check fails on purpose (failBatchChecks)", null);
    }
    return Cluster.super.killedElseAssign(fids, worker);
  }

  @Override
  public boolean killed(String fid) {
    return killed.contains(fid);
  }

  @Override
  public void control(Control message) {
    deliver(
        () ->
            controlListeners.forEach(
                l -> {
                  try {
                    l.accept(message);
                  } catch (RuntimeException e) {
                    log.warn(
                        "ignored a control message that could not be handled: {}", e.toString());
                  }
                }));
  }

  @Override
  public void onControl(Consumer<Control> listener) {
    controlListeners.add(listener);
  }

  @Override
  public long foreignEventsDropped() {
    return 0;
  }

  @Override
  public void assign(String fid, String worker) {
    if (worker == null) {
      assignments.remove(fid);
    } else {
      assignments.put(fid, worker);
    }
  }

  @Override
  public void unassignLater(String fid) {
    assignments.remove(fid);
  }

  @Override
  public Set<String> assignedOnMember(String member) {
    Set<String> fids = new HashSet<>();
    assignments.forEach(
        (fid, worker) -> {
          if (worker.endsWith("@" + member)) {
            fids.add(fid);
          }
        });
    return Set.copyOf(fids);
  }

  @Override
  public void onMemberLeft(Consumer<String> listener) {
    memberListeners.add(listener);
  }

  /**
   * Tells the {@link #onMemberLeft} listeners that the member {@code member} left, as a crash
   * would.
   */
  public void memberLeft(String member) {
    departed.add(member);
    deliver(
        () ->
            memberListeners.forEach(
                l -> {
                  try {
                    l.accept(member);
                  } catch (RuntimeException e) {
                    log.warn(
                        "could not handle the departure of member {}: {}", member, e.toString());
                  }
                }));
  }

  @Override
  public void onMemberJoined(Consumer<String> listener) {
    joinListeners.add(listener);
  }

  @Override
  public String assignee(String fid) {
    return assignments.get(fid);
  }

  @Override
  public void announceNode(String node) {
    nodes.put(node, memberId);
  }

  @Override
  public List<String> liveNodes() {
    return nodes.entrySet().stream()
        .filter(e -> !departed.contains(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public List<String> nodesOn(String member) {
    return nodes.entrySet().stream()
        .filter(e -> e.getValue().equals(member))
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public void adoptNode(String node) {
    nodes.put(node, memberId);
  }

  @Override
  public void nodeMessage(String message) {
    deliver(
        () ->
            nodeMessageListeners.forEach(
                l -> {
                  try {
                    l.accept(message);
                  } catch (RuntimeException e) {
                    log.warn("ignored a node message that could not be handled: {}", e.toString());
                  }
                }));
  }

  @Override
  public void onNodeMessage(Consumer<String> listener) {
    nodeMessageListeners.add(listener);
  }

  @Override
  public void close() {
    eventThread.shutdownNow();
  }

  private void deliver(Runnable r) {
    if (!eventThread.isShutdown()) {
      try {
        eventThread.execute(r);
      } catch (RejectedExecutionException e) {
        log.debug("cluster closed; a message was not delivered");
      }
    }
  }

  private BlockingQueue<List<Event>> queue(String node) {
    return events.computeIfAbsent(node, n -> new LinkedBlockingQueue<>(maxQueuedEventBatches));
  }

  private Intake intake(String node) {
    return intakes.computeIfAbsent(node, n -> new Intake());
  }
}
