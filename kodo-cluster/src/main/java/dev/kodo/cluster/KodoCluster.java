package dev.kodo.cluster;

import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's membership of the Kodo cluster: an embedded Hazelcast member and the structures Kodo
 * uses on it. Runs are dispatched through it even when the cluster is this one JVM, so scaling out
 * is configuration, not another code path. Events travel through it too, except that a node's own
 * member hands its embedded worker's batches to the node in memory ({@link EventChannels}).
 *
 * <ul>
 *   <li>{@code kodo.runs.<flow>} — per flow, the queue of {@link RunTicket}s waiting for a worker
 *       that offers the flow and has room;
 *   <li>{@code kodo.workers} — the workers ({@link WorkerInfo}): their flows, capacity and load;
 *   <li>{@code kodo.events.<node>} — per node, batches of events emitted by workers on other
 *       members for that node's runs, in emission order;
 *   <li>{@code kodo.control} — a topic carrying {@link Control} messages (kill, lock candidates) to
 *       every worker;
 *   <li>{@code kodo.killed} — runs killed before a worker took them;
 *   <li>{@code kodo.assignments} — which worker executes which run; kept until the run's last event
 *       was sent, so a node can end the runs of a member that left ({@code worker-lost}).
 * </ul>
 *
 * The bounds are {@link Cluster#MAX_QUEUED_RUNS} and {@link Cluster#MAX_QUEUED_EVENT_BATCHES}.
 * Tests that need a real member (Hazelcast itself, several members) use this class; {@link
 * #hazelcast()} is not part of {@link Cluster}.
 *
 * <p>Thread-safe. Start with {@link #start(ClusterOptions)}; {@link #close()} leaves the cluster.
 */
public final class KodoCluster implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(KodoCluster.class);
  private static final String RUNS = "kodo.runs.";
  private static final String WORKERS = "kodo.workers";
  private static final String QUEUE_SERVICE = "hz:impl:queueService";

  /**
   * How long a member may stay silent before the others remove it: a crashed or cut-off worker's
   * runs end ({@code worker-lost}) soon after (docs/architecture.md#worker-loss).
   */
  public static final int MEMBER_TIMEOUT_SECONDS = 15;

  private static final String EVENTS = "kodo.events.";
  private static final String CONTROL = "kodo.control";
  private static final String ASSIGNMENTS = "kodo.assignments";
  private static final String KILLED = "kodo.killed";
  private static final String NODES = "kodo.nodes";
  private static final String NODE_MESSAGES = "kodo.node-messages";

  /** Marks a {@code kodo.nodes} entry of a node whose runs this member's node took over. */
  private static final String ADOPTED = " adopted";

  private final HazelcastInstance hz;
  private final Map<String, Boolean> watchedQueues = new ConcurrentHashMap<>();
  private final Object arrivals = new Object(); // notified when a run is put on a watched queue
  private long arrived; // guarded by arrivals
  private final AtomicLong nextQueue = new AtomicLong();
  private final SenderCheck senders;
  private final EventChannels channels;

  private KodoCluster(HazelcastInstance hz) {
    this.hz = hz;
    IMap<String, String> assignments = hz.getMap(ASSIGNMENTS);
    this.senders = new SenderCheck(this::memberId, assignments::getAll, System::nanoTime);
    this.channels = new EventChannels(hz, this::memberId, senders);
  }

  public static KodoCluster start(ClusterOptions options) {
    return start(options, false);
  }

  /**
   * Starts a member; a {@code lite} one (a {@code koco worker},
   * docs/architecture.md#remote-workers) holds none of the cluster's data, so that a worker that
   * dies takes no queued run or assignment with it, and one that joins moves no data around.
   */
  public static KodoCluster start(ClusterOptions options, boolean lite) {
    Config config = new Config();
    config.setLiteMember(lite);
    secure(config, options);
    config.setInstanceName("kodo-" + options.name() + "-" + System.nanoTime());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.partition.count", "71");
    config.setProperty("hazelcast.local.localAddress", options.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", String.valueOf(MEMBER_TIMEOUT_SECONDS));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.port()).setPortAutoIncrement(true).setPortCount(100);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    // TCP-IP join even without members: Hazelcast refuses joiners whose join method differs from
    // its own, so a first member started alone must still accept the members that list it.
    join.getTcpIpConfig().setEnabled(true).setMembers(options.members());
    // A synchronous backup: when a node dies, the node that takes over its runs reads what the
    // workers sent it from the backup (docs/architecture.md#two-nodes-one-database). A member alone
    // has nowhere to keep one, so a single node pays nothing for it; lite members (workers) hold
    // none.
    config
        .getQueueConfig(EVENTS + "*")
        .setBackupCount(1)
        .setAsyncBackupCount(0)
        .setMaxSize(MAX_QUEUED_EVENT_BATCHES);
    config.getQueueConfig(RUNS + "*").setMaxSize(MAX_QUEUED_RUNS);
    AsyncCompletions.install();
    try {
      HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
      log.info(
          "joined cluster '{}' as {} ({} member(s))",
          options.name(),
          hz.getCluster().getLocalMember().getAddress(),
          hz.getCluster().getMembers().size());
      return new KodoCluster(hz);
    } catch (RuntimeException e) {
      throw new KodoException(
          "cannot start the cluster member for cluster '"
              + options.name()
              + "' on "
              + options.host()
              + ":"
              + options.port()
              + ": "
              + RedactingLoggerFactory.redact(e.getMessage()),
          e);
    }
  }

  /**
   * Hazelcast Community has no member authentication; what it does check at join is the cluster
   * name, and it refuses a member with another one without telling it the right one. So the name is
   * derived from the secret ({@code ClusterOptions.hazelcastName()}), which makes it the members'
   * credential: it is kept out of Hazelcast's log lines (their prefix, the start-up banner,
   * exception messages). And since a member deserializes what reaches its port before it checks
   * that the sender is a member, Java deserialization is limited to Hazelcast's and the JDK's
   * classes (Kodo puts only strings, bytes and booleans on the cluster).
   */
  private static void secure(Config config, ClusterOptions options) {
    if (!RedactingLoggerFactory.install()) {
      log.warn(
          "{} names another Hazelcast logger; its log lines may show the cluster's join name",
          RedactingLoggerFactory.PROPERTY);
    }
    RedactingLoggerFactory.hide(options.joinToken());
    config.setClusterName(options.hazelcastName());
    config.setProperty("hazelcast.logging.details.enabled", "false");
    config
        .getSerializationConfig()
        .setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
  }

  public HazelcastInstance hazelcast() {
    return hz;
  }

  /** This member's id, unique in the cluster. */
  @Override
  public String memberId() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }

  @Override
  public int memberCount() {
    return hz.getCluster().getMembers().size();
  }

  @Override
  public boolean memberAlive(String memberId) {
    for (var m : hz.getCluster().getMembers()) {
      if (m.getUuid().toString().equals(memberId)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String joinAddress() {
    var a = hz.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  private IQueue<String> queue(String flow) {
    return hz.getQueue(RUNS + flow);
  }

  @Override
  public void dispatch(RunTicket ticket) {
    if (!queue(ticket.flow()).offer(ticket.encode())) {
      throw KodoException.retryable(
          "the run queue is full for flow "
              + ticket.flow()
              + " ("
              + MAX_QUEUED_RUNS
              + " runs wait for a worker);"
              + " run "
              + ticket.fid()
              + " was not dispatched",
          null);
    }
  }

  @Override
  public boolean withdraw(RunTicket ticket) {
    return queue(ticket.flow()).remove(ticket.encode());
  }

  @Override
  public boolean queued(String flow, String fid) {
    for (String t : queue(flow)) {
      if (RunTicket.decode(t).fid().equals(fid)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code flow}'s run queue is full. Asking the queue its size is a cluster operation on
   * every launch, so a recent answer far from full is reused: a queue seen under half full less
   * than {@link #QUEUE_SIZE_AGE_NANOS} ago cannot have filled since (that would take 100,000
   * launches a second), and near full the queue is asked every time.
   */
  @Override
  public boolean runQueueFull(String flow) {
    long now = System.nanoTime();
    QueueSize seen = queueSizes.get(flow);
    if (seen != null
        && seen.size() < MAX_QUEUED_RUNS / 2
        && now - seen.at() < QUEUE_SIZE_AGE_NANOS) {
      return false;
    }
    int size = queue(flow).size();
    queueSizes.put(flow, new QueueSize(size, now));
    return size >= MAX_QUEUED_RUNS;
  }

  private static final long QUEUE_SIZE_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private record QueueSize(int size, long at) {}

  private final java.util.concurrent.ConcurrentHashMap<String, QueueSize> queueSizes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Takes what waits on the queues of {@code flows} (each in turn, starting with another one each
   * time, so that no flow starves the others); when nothing waits, waits for a run to arrive on one
   * of them (item listeners, so a worker of many flows does not poll each) and looks again.
   */
  @Override
  public List<RunTicket> takeRuns(Collection<String> flows, int max, long timeoutMillis)
      throws InterruptedException {
    if (flows.isEmpty()) {
      Thread.sleep(Math.max(0, timeoutMillis));
      return List.of();
    }
    List<String> names = List.copyOf(flows);
    for (String flow : names) {
      watch(flow);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      long seen;
      synchronized (arrivals) {
        seen = arrived;
      }
      List<String> taken = new ArrayList<>();
      int start = (int) (nextQueue.getAndIncrement() % names.size());
      for (int i = 0; i < names.size() && taken.size() < max; i++) {
        queue(names.get((start + i) % names.size())).drainTo(taken, max - taken.size());
      }
      if (!taken.isEmpty()) {
        List<RunTicket> tickets = new ArrayList<>(taken.size());
        for (String t : taken) {
          tickets.add(RunTicket.decode(t));
        }
        return tickets;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      synchronized (arrivals) {
        if (arrived == seen) {
          TimeUnit.NANOSECONDS.timedWait(arrivals, left);
        }
      }
    }
  }

  private void watch(String flow) {
    watchedQueues.computeIfAbsent(
        flow,
        f -> {
          queue(f)
              .addItemListener(
                  new com.hazelcast.collection.ItemListener<String>() {
                    @Override
                    public void itemAdded(com.hazelcast.collection.ItemEvent<String> item) {
                      synchronized (arrivals) {
                        arrived++;
                        arrivals.notifyAll();
                      }
                    }

                    @Override
                    public void itemRemoved(com.hazelcast.collection.ItemEvent<String> item) {}
                  },
                  false);
          return Boolean.TRUE;
        });
  }

  @Override
  public Map<String, Integer> queueDepths() {
    Map<String, Integer> depths = new java.util.TreeMap<>();
    for (var o : hz.getDistributedObjects()) {
      if (QUEUE_SERVICE.equals(o.getServiceName()) && o.getName().startsWith(RUNS)) {
        depths.put(o.getName().substring(RUNS.length()), ((IQueue<?>) o).size());
      }
    }
    return depths;
  }

  @Override
  public void advertise(WorkerInfo worker) {
    IMap<String, String> m = hz.getMap(WORKERS);
    m.set(worker.id(), worker.encode());
  }

  @Override
  public void retire(String workerId) {
    IMap<String, String> m = hz.getMap(WORKERS);
    m.delete(workerId);
  }

  @Override
  public List<WorkerInfo> workers() {
    IMap<String, String> m = hz.getMap(WORKERS);
    Set<String> members = new java.util.HashSet<>();
    for (var member : hz.getCluster().getMembers()) {
      members.add(member.getUuid().toString());
    }
    List<WorkerInfo> out = new ArrayList<>();
    for (String s : m.values()) {
      WorkerInfo w = WorkerInfo.decode(s);
      if (members.contains(w.member())) {
        out.add(w);
      }
    }
    out.sort(java.util.Comparator.comparing(WorkerInfo::id));
    return out;
  }

  /**
   * Sends a batch of events (all for runs of {@code node}) to that node, keeping their order (the
   * node takes only those of runs assigned to this member or to no one, see {@link
   * #receiveEvents}); waits while the node's queue is full ({@link #MAX_QUEUED_EVENT_BATCHES}):
   * this is how a node that stores more slowly than its flows emit slows them down. A node that
   * receives on this member gets them in memory ({@link EventChannels}).
   *
   * @throws KodoException (retryable) if the calling thread is interrupted while it waits (the
   *     interrupt status is kept), or this member leaves the cluster while it waits; the batch was
   *     not sent
   */
  @Override
  public void sendEvents(String node, List<Event> events) {
    channels.send(node, events);
  }

  /**
   * Waits up to {@code timeoutMillis} for events sent to {@code node}, then hands everything
   * waiting (in order) to {@code sink}; returns how many events it handed over. Events another
   * member sent for a run {@linkplain #assign assigned} to a worker on yet another member are
   * dropped (and counted in {@link #foreignEventsDropped()}), so a member can only write the logs
   * of the runs it executes.
   */
  @Override
  public int receiveEvents(String node, long timeoutMillis, Consumer<List<Event>> sink)
      throws InterruptedException {
    return channels.receive(node, timeoutMillis, sink);
  }

  /**
   * A check that turns true once every batch of events for {@code node} that waits on the cluster
   * now, or is being received right now, has been handed to a {@link #receiveEvents} sink of this
   * member: after it, whatever a departed member sent before it left has been seen. May wait for a
   * receive's wait to end.
   */
  @Override
  public BooleanSupplier receivedUpToNow(String node) {
    return channels.receivedUpToNow(node);
  }

  /**
   * Tells every worker to kill the run {@code fid}, wherever it executes; a run still waiting in
   * the queue is skipped when a worker takes it (kills are remembered for a day).
   */
  @Override
  public void kill(String fid) {
    IMap<String, Boolean> killed = hz.getMap(KILLED);
    killed.set(fid, Boolean.TRUE, 1, TimeUnit.DAYS);
    control(new Control.Kill(fid));
  }

  /** Whether the run {@code fid} was killed before a worker took it. */
  @Override
  public boolean killed(String fid) {
    IMap<String, Boolean> killed = hz.getMap(KILLED);
    return killed.containsKey(fid);
  }

  /**
   * Two cluster calls for the whole batch — the kill marks of all, then the assignments of those
   * not killed — instead of two a run: on one member each call is a hand-off to a partition thread
   * and back (docs/performance.md#launch--final). A single run takes the single calls.
   */
  @Override
  public Set<String> killedElseAssign(List<String> fids, String worker) {
    if (fids.size() == 1) {
      return Cluster.super.killedElseAssign(fids, worker);
    }
    IMap<String, Boolean> killedMap = hz.getMap(KILLED);
    Set<String> killedBefore = new HashSet<>(killedMap.getAll(new HashSet<>(fids)).keySet());
    Map<String, String> assigned = new HashMap<>();
    for (String fid : fids) {
      if (!killedBefore.contains(fid)) assigned.put(fid, worker);
    }
    if (!assigned.isEmpty()) {
      IMap<String, String> m = hz.getMap(ASSIGNMENTS);
      m.setAll(assigned);
    }
    return killedBefore;
  }

  /** Sends a control message to the workers; the one executing its run acts on it. */
  @Override
  public void control(Control message) {
    ITopic<String> control = hz.getTopic(CONTROL);
    control.publish(message.encode());
  }

  /**
   * Calls {@code listener} with every control message any member sends, on Hazelcast's event
   * thread.
   */
  @Override
  public void onControl(Consumer<Control> listener) {
    ITopic<String> control = hz.getTopic(CONTROL);
    control.addMessageListener(
        m -> {
          try {
            listener.accept(Control.decode(m.getMessageObject()));
          } catch (RuntimeException e) {
            log.warn("ignored a control message that could not be handled: {}", e.toString());
          }
        });
  }

  /**
   * How many events this member received from other members for runs they do not execute, and
   * dropped.
   */
  @Override
  public long foreignEventsDropped() {
    return senders.dropped();
  }

  /**
   * Records that {@code worker} executes run {@code fid} (or, with a null worker, that no one does
   * any more). A worker's id ends with {@code @<member id>} of the member it runs on: only that
   * member's events for the run are taken.
   */
  @Override
  public void assign(String fid, String worker) {
    IMap<String, String> m = hz.getMap(ASSIGNMENTS);
    if (worker == null) {
      m.delete(fid);
    } else {
      m.set(fid, worker);
    }
  }

  /** Forgets who executes {@code fid}, without waiting for the cluster to confirm it. */
  @Override
  public void unassignLater(String fid) {
    IMap<String, String> m = hz.getMap(ASSIGNMENTS);
    m.deleteAsync(fid);
  }

  /**
   * The runs assigned to workers on the member {@code memberId} (a worker's id ends with
   * {@code @memberId}).
   */
  @Override
  public Set<String> assignedOnMember(String memberId) {
    IMap<String, String> m = hz.getMap(ASSIGNMENTS);
    return Set.copyOf(m.keySet(Predicates.like("this", "%@" + memberId)));
  }

  /**
   * Calls {@code listener} with the id of each member that leaves the cluster (crashed or stopped),
   * on Hazelcast's event thread.
   */
  @Override
  public void onMemberLeft(Consumer<String> listener) {
    hz.getCluster()
        .addMembershipListener(
            new MembershipAdapter() {
              @Override
              public void memberRemoved(MembershipEvent event) {
                try {
                  listener.accept(event.getMember().getUuid().toString());
                } catch (RuntimeException e) {
                  log.warn(
                      "could not handle the departure of member {}: {}",
                      event.getMember().getUuid(),
                      e.toString());
                }
              }
            });
  }

  @Override
  public void onMemberJoined(Consumer<String> listener) {
    hz.getCluster()
        .addMembershipListener(
            new MembershipAdapter() {
              @Override
              public void memberAdded(MembershipEvent event) {
                try {
                  listener.accept(event.getMember().getUuid().toString());
                } catch (RuntimeException e) {
                  log.warn("could not handle the arrival of a member: {}", e.toString());
                }
              }
            });
  }

  /** The worker executing {@code fid}, or null. */
  @Override
  public String assignee(String fid) {
    IMap<String, String> m = hz.getMap(ASSIGNMENTS);
    return m.get(fid);
  }

  @Override
  public void announceNode(String node) {
    IMap<String, String> m = hz.getMap(NODES);
    m.set(node, memberId());
  }

  @Override
  public List<String> liveNodes() {
    IMap<String, String> m = hz.getMap(NODES);
    Map<String, String> byMember = new HashMap<>();
    m.forEach(
        (node, member) -> {
          if (!member.endsWith(ADOPTED)) {
            byMember.put(member, node);
          }
        });
    List<String> live = new ArrayList<>();
    for (var member : hz.getCluster().getMembers()) { // the oldest first, on every member
      String node = byMember.get(member.getUuid().toString());
      if (node != null) {
        live.add(node);
      }
    }
    return live;
  }

  @Override
  public List<String> nodesOn(String memberId) {
    IMap<String, String> m = hz.getMap(NODES);
    List<String> nodes = new ArrayList<>();
    m.forEach(
        (node, member) -> {
          if (member.equals(memberId) || member.equals(memberId + ADOPTED)) {
            nodes.add(node);
          }
        });
    return nodes;
  }

  @Override
  public void adoptNode(String node) {
    IMap<String, String> m = hz.getMap(NODES);
    m.set(node, memberId() + ADOPTED);
  }

  @Override
  public void nodeMessage(String message) {
    ITopic<String> t = hz.getTopic(NODE_MESSAGES);
    t.publish(message);
  }

  @Override
  public void onNodeMessage(Consumer<String> listener) {
    ITopic<String> t = hz.getTopic(NODE_MESSAGES);
    t.addMessageListener(
        m -> {
          try {
            listener.accept(m.getMessageObject());
          } catch (RuntimeException e) {
            log.warn("ignored a node message that could not be handled: {}", e.toString());
          }
        });
  }

  @Override
  public void close() {
    channels.close();
    try {
      hz.shutdown();
    } catch (RuntimeException e) {
      log.debug("cluster member shut down with {}", e.toString());
    }
  }
}
