package dev.kodo.registry.core.internal;

import dev.kodo.client.Check;
import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.Glob;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.AnnouncementResult;
import dev.kodo.registry.core.Announcements;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.ListRequest;
import dev.kodo.registry.core.NodeStatus;
import dev.kodo.registry.core.RegistryIndex;
import dev.kodo.registry.core.StoredNode;
import dev.kodo.registry.core.UnknownNodeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The {@link RegistryIndex}: copy-on-write snapshots of nodes and flows, node states swapped in
 * place.
 */
public final class InMemoryIndex implements RegistryIndex {
  private static final Comparator<FlowAnnouncement> BY_PATH =
      Comparator.comparing(FlowAnnouncement::path);

  private final Clock clock;
  private final Duration timeout;
  private final ReentrantLock writes = new ReentrantLock();
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  /** Whether a word index is being made (at most one at a time, for the latest snapshot). */
  private final AtomicBoolean indexing = new AtomicBoolean();

  /** One daemon thread for every index in the process makes word indexes, off the request path. */
  private static final Executor INDEXER =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("kodo-registry-words").unstarted(r));

  public InMemoryIndex(Clock clock, Duration heartbeatTimeout) {
    this.clock = Check.notNull(clock, "clock");
    this.timeout = Check.notNull(heartbeatTimeout, "heartbeat timeout");
    Check.that(
        !heartbeatTimeout.isNegative() && !heartbeatTimeout.isZero(),
        "the heartbeat timeout must be positive");
  }

  @Override
  public Duration heartbeatTimeout() {
    return timeout;
  }

  /** The latest snapshot (for tests). */
  Snapshot snapshot() {
    return snapshot;
  }

  private long now() {
    return clock.millis();
  }

  private Eval eval() {
    return new Eval(now(), timeout.toMillis());
  }

  /** Runs a change of the snapshot under the write lock and publishes its result. */
  private <T> T write(Function<NodeList, T> change) {
    writes.lock();
    try {
      NodeList nodes = snapshot.edit();
      T result = change.apply(nodes);
      snapshot = new Snapshot(nodes);
      return result;
    } finally {
      writes.unlock();
    }
  }

  /** The local node called {@code name}, or an {@link UnknownNodeException}. */
  private NodeSlot local(NodeList nodes, String name) {
    return checkLocal(name == null ? null : nodes.get(name), name);
  }

  private NodeSlot local(String name) {
    return checkLocal(name == null ? null : snapshot.node(name), name);
  }

  private static NodeSlot checkLocal(NodeSlot s, String name) {
    if (s == null || s.entry.state().via != null) {
      throw new UnknownNodeException(name);
    }
    return s;
  }

  // ---------------------------------------------------------------------------------- admin

  @Override
  public RegistryNode register(String node) {
    Texts.nodeName(node, "node");
    return write(
        nodes -> {
          NodeSlot s = nodes.get(node);
          if (s == null || s.entry.state().via != null) {
            s =
                new NodeSlot(
                    new NodeEntry(NodeState.registered(node, now())), new FlowEntry[0], Map.of());
            nodes.put(node, s);
          }
          return Records.node(s, s.entry.state(), eval());
        });
  }

  @Override
  public boolean unregister(String node) {
    if (node == null || snapshot.node(node) == null) {
      return false;
    }
    return write(nodes -> nodes.remove(node) != null);
  }

  @Override
  public RegistryNode constrainNode(String node, Constraints given) {
    Check.notNull(given, "constraints");
    Constraints constraints = Checks.constraints(given);
    // Published as a new snapshot (though only the node's state changes) so that what a snapshot
    // keeps about hidden flows (Snapshot.visibleFlows) stays true for it.
    return write(
        nodes -> {
          NodeSlot s = local(nodes, node);
          NodeState n = s.entry.update(st -> st.constrained(constraints));
          return Records.node(s, n, eval());
        });
  }

  @Override
  public Optional<RegistryFlow> constrainFlow(String node, String path, Constraints given) {
    Check.notNull(given, "constraints");
    Constraints constraints = Checks.constraints(given);
    Check.notNull(path, "path");
    return write(
        nodes -> {
          NodeSlot s = local(nodes, node);
          Map<String, Constraints> fc = new HashMap<>(s.flowConstraints);
          if (constraints.isNone()) {
            fc.remove(path);
          } else {
            fc.put(path, constraints);
          }
          FlowEntry[] flows = s.flows;
          FlowEntry old = s.flow(path);
          FlowEntry changed = null;
          if (old != null) {
            changed = old.constrained(constraints);
            flows = flows.clone();
            flows[Arrays.asList(flows).indexOf(old)] = changed;
          }
          nodes.put(node, new NodeSlot(s.entry, flows, Map.copyOf(fc)));
          return Optional.ofNullable(changed).map(f -> Records.flow(f, s.entry.state(), eval()));
        });
  }

  // ------------------------------------------------------------------------------ node side

  @Override
  public AnnouncementResult connect(Connect given) {
    Check.notNull(given, "connect");
    Connect connect = Checks.connect(given);
    AnnouncementResult result = Announcements.validate(connect.flows());
    write(
        nodes -> {
          NodeSlot s = local(nodes, connect.node());
          NodeSlot next =
              new NodeSlot(
                  s.entry,
                  entries(s.entry, result.accepted(), s.flowConstraints),
                  s.flowConstraints);
          s.entry.update(st -> st.connected(connect.url(), connect.tags(), now(), next.paths()));
          nodes.put(connect.node(), next);
          return null;
        });
    return result;
  }

  /** A node's entries, in path order, sharing one {@link FlowPaths}. */
  private static FlowEntry[] entries(
      NodeEntry node, List<FlowAnnouncement> flows, Map<String, Constraints> constraints) {
    FlowAnnouncement[] sorted = flows.toArray(new FlowAnnouncement[0]);
    Arrays.sort(sorted, BY_PATH);
    String[] paths = new String[sorted.length];
    for (int i = 0; i < sorted.length; i++) paths[i] = sorted[i].path();
    FlowPaths shared = new FlowPaths(paths);
    FlowEntry[] out = new FlowEntry[sorted.length];
    for (int i = 0; i < out.length; i++) {
      FlowAnnouncement a = sorted[i];
      out[i] =
          new FlowEntry(node, a, constraints.getOrDefault(a.path(), Constraints.NONE), shared, i);
    }
    return out;
  }

  @Override
  public RegistryNode disconnect(String node) {
    NodeSlot s = local(node);
    return Records.node(s, s.entry.update(NodeState::disconnected), eval());
  }

  @Override
  public boolean heartbeat(Heartbeat given) {
    Check.notNull(given, "heartbeat");
    Heartbeat heartbeat = Checks.heartbeat(given);
    long at = now();
    NodeState n =
        local(heartbeat.node())
            .entry
            .update(
                st -> st.connected ? st.heartbeat(at, heartbeat.health(), heartbeat.usage()) : st);
    return n.connected;
  }

  @Override
  public RegistryNode probe(String node, boolean ok, Duration latency) {
    double millis = latency == null ? Double.NaN : latency.toNanos() / 1e6;
    NodeSlot s = local(node);
    return Records.node(s, s.entry.update(st -> st.probed(ok, millis)), eval());
  }

  // --------------------------------------------------------------------- restore and peers

  @Override
  public void restore(Collection<StoredNode> stored) {
    Map<String, NodeSlot> nodes = new HashMap<>();
    for (StoredNode sn : stored) {
      nodes.put(sn.name(), slot(sn, sn.via()));
    }
    Snapshot restored = new Snapshot(NodeList.of(new ArrayList<>(nodes.values())));
    writes.lock();
    try {
      snapshot = restored;
    } finally {
      writes.unlock();
    }
  }

  private static NodeSlot slot(StoredNode sn, String via) {
    NodeState st =
        new NodeState(
            sn.name(),
            sn.url(),
            sn.registered().toEpochMilli(),
            sn.connected(),
            sn.heartbeat() == null ? NodeState.NEVER : sn.heartbeat().toEpochMilli(),
            sn.health(),
            sn.usage(),
            sn.availability() == null ? Double.NaN : sn.availability(),
            sn.latency() == null ? Double.NaN : sn.latency(),
            Probes.NONE,
            sn.tags(),
            sn.constraints(),
            sn.origin(),
            via,
            sn.path());
    NodeEntry entry = new NodeEntry(st);
    List<FlowAnnouncement> valid = Announcements.validate(sn.flows()).accepted();
    NodeSlot s =
        new NodeSlot(entry, entries(entry, valid, sn.flowConstraints()), sn.flowConstraints());
    entry.update(n -> n.placed(s.paths()));
    return s;
  }

  @Override
  public List<String> replacePeer(String peer, Collection<StoredNode> stored) {
    Check.notBlank(peer, "peer");
    return write(
        nodes -> {
          nodes.removeIf(s -> peer.equals(s.entry.state().via));
          List<String> taken = new ArrayList<>();
          for (StoredNode sn : stored) {
            if (!Texts.isNodeName(sn.name()) || nodes.containsKey(sn.name())) continue;
            nodes.put(sn.name(), slot(sn, peer));
            taken.add(sn.name());
          }
          return taken;
        });
  }

  // ---------------------------------------------------------------------------------- reads

  /** How flows are listed: searches run over the snapshot's prepared search texts. */
  record FlowKind(Snapshot snapshot) implements Lists.Kind<FlowEntry, RegistryFlow> {
    @Override
    public NodeState state(FlowEntry e) {
      return e.node.state();
    }

    @Override
    public boolean hidden(FlowEntry e, NodeState n) {
      return e.hidden(n);
    }

    @Override
    public boolean search(Glob g, FlowEntry e, NodeState n) {
      return Lists.search(g, String.join("\u0000", e.searchFields), e.searchFields);
    }

    @Override
    public BitSet searchAll(Glob g, FlowEntry[] entries) {
      return snapshot.search(g);
    }

    @Override
    public int[] visible(FlowEntry[] entries) {
      return snapshot.visibleFlows();
    }

    @Override
    public RegistryFlow record(FlowEntry e, NodeState n, Eval x) {
      return Records.flow(e, n, x);
    }
  }

  private static final Lists.Kind<NodeSlot, RegistryNode> NODES =
      new Lists.Kind<>() {
        @Override
        public NodeState state(NodeSlot s) {
          return s.entry.state();
        }

        @Override
        public boolean hidden(NodeSlot s, NodeState n) {
          return n.hidden();
        }

        @Override
        public boolean search(Glob g, NodeSlot s, NodeState n) {
          return Lists.search(g, n.haystack, n.searchFields);
        }

        @Override
        public RegistryNode record(NodeSlot s, NodeState n, Eval x) {
          return Records.node(s, n, x);
        }
      };

  @Override
  public Page<RegistryFlow> flows(ListRequest r) {
    Check.notNull(r, "list request");
    Glob search = r.search() == null ? null : Glob.search(r.search());
    Expr<FlowEntry> filter = r.query() == null ? null : Parser.parse(r.query(), Fields.FLOWS);
    Sort<FlowEntry> sort = Sort.parse(r.by(), Fields.FLOWS);
    Snapshot s = snapshot;
    if (search != null && !s.hasWords()) makeWordsSoon();
    if (search == null && filter == null && sort.isDefault() && !r.includeHidden()) {
      // A plain page: a slice of the visible flows.
      return Lists.page(s.flows(), r, filter, search, sort, eval(), new FlowKind(s));
    }
    return FlowLists.page(
        s, r, search, filter, sort, eval(), (key, order) -> makeRanksSoon(s, key, order));
  }

  /**
   * Ranks the flows of snapshot {@code s} by {@code order} (named {@code key}) in the background,
   * if {@code s} is still the latest when the indexer comes to it; lists compare their hits key by
   * key until then ({@link FlowLists}).
   */
  private void makeRanksSoon(Snapshot s, String key, Comparator<Hit<FlowEntry>> order) {
    if (!s.rankingStarts(key)) return;
    try {
      INDEXER.execute(
          () -> {
            try {
              if (snapshot == s) s.makeRanks(key, order);
            } finally {
              s.rankingEnds(key);
            }
          });
    } catch (RuntimeException e) {
      s.rankingEnds(key);
    }
  }

  /**
   * Makes the word index of the latest snapshot in the background: searches scan until it is there.
   * Flows change seldom next to how often they are searched; while they change faster than an index
   * is made, searches keep scanning and at most one index is made at a time.
   */
  private void makeWordsSoon() {
    if (!indexing.compareAndSet(false, true)) return;
    try {
      INDEXER.execute(
          () -> {
            try {
              snapshot.makeWords();
            } finally {
              indexing.set(false);
            }
          });
    } catch (RuntimeException e) {
      indexing.set(false);
    }
  }

  @Override
  public Page<RegistryNode> nodes(ListRequest r) {
    Check.notNull(r, "list request");
    Glob search = r.search() == null ? null : Glob.search(r.search());
    Expr<NodeSlot> filter = r.query() == null ? null : Parser.parse(r.query(), Fields.NODES);
    Sort<NodeSlot> sort = Sort.parse(r.by(), Fields.NODES);
    return Lists.page(snapshot.sortedNodes(), r, filter, search, sort, eval(), NODES);
  }

  @Override
  public Optional<RegistryNode> node(String name, boolean includeHidden) {
    NodeSlot s = name == null ? null : snapshot.node(name);
    if (s == null) return Optional.empty();
    NodeState n = s.entry.state();
    return includeHidden || !n.hidden()
        ? Optional.of(Records.node(s, n, eval()))
        : Optional.empty();
  }

  @Override
  public Optional<RegistryFlow> flow(String node, String path, boolean includeHidden) {
    NodeSlot s = node == null ? null : snapshot.node(node);
    FlowEntry f = s == null || path == null ? null : s.flow(path);
    if (f == null) return Optional.empty();
    NodeState n = s.entry.state();
    return includeHidden || !f.hidden(n)
        ? Optional.of(Records.flow(f, n, eval()))
        : Optional.empty();
  }

  @Override
  public Optional<StoredNode> stored(String node) {
    NodeSlot s = node == null ? null : snapshot.node(node);
    return Optional.ofNullable(s).map(Records::stored);
  }

  @Override
  public List<StoredNode> export(String self) {
    List<StoredNode> out = new ArrayList<>();
    for (NodeSlot s : snapshot.sortedNodes()) {
      NodeState n = s.entry.state();
      if (n.hidden()) continue;
      List<FlowAnnouncement> flows = new ArrayList<>(s.flows.length);
      Map<String, Constraints> flowConstraints = new HashMap<>();
      for (FlowEntry f : s.flows) {
        if (f.hidden(n)) continue;
        flows.add(f.announcement);
        Constraints c = s.flowConstraints.get(f.announcement.path());
        if (c != null && c.tags() != null)
          flowConstraints.put(f.announcement.path(), new Constraints(c.tags(), false, null));
      }
      Constraints own =
          n.constraints.tags() == null
              ? Constraints.NONE
              : new Constraints(n.constraints.tags(), false, null);
      out.add(
          new StoredNode(
              n.name,
              n.url,
              Records.instant(n.registered),
              n.connected,
              Records.instant(n.heartbeat),
              n.health,
              n.usage,
              Records.number(n.availability),
              Records.number(n.latency),
              n.announcedTags,
              own,
              n.via == null ? self : n.origin,
              n.via,
              flows,
              flowConstraints,
              n.path));
    }
    return out;
  }

  @Override
  public Optional<NodeStatus> status(String node) {
    NodeSlot s = node == null ? null : snapshot.node(node);
    if (s == null) return Optional.empty();
    NodeState n = s.entry.state();
    return Optional.of(
        new NodeStatus(
            n.name,
            n.connected,
            Records.instant(n.heartbeat),
            n.health,
            n.usage,
            Records.number(n.availability),
            Records.number(n.latency)));
  }

  @Override
  public List<String> stale(Instant before) {
    long limit;
    try {
      limit = before.toEpochMilli();
    } catch (ArithmeticException e) {
      limit = before.isAfter(Instant.EPOCH) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    List<String> out = new ArrayList<>();
    for (NodeSlot s : snapshot.sortedNodes()) {
      NodeState n = s.entry.state();
      long last = n.heartbeat == NodeState.NEVER ? n.registered : n.heartbeat;
      if (n.via == null && last < limit) out.add(n.name);
    }
    return out;
  }

  @Override
  public Counts counts() {
    Snapshot s = snapshot;
    Eval x = eval();
    int online = 0;
    for (NodeSlot slot : s.sortedNodes()) {
      if (x.online(slot.entry.state())) online++;
    }
    return new Counts(s.size(), online, s.flowCount());
  }
}
