package dev.kodo.registry.core.internal;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.AnnouncementResult;
import dev.kodo.registry.core.Announcements;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.HealthSample;
import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.LimitExceededException;
import dev.kodo.registry.core.NodeStatus;
import dev.kodo.registry.core.Peer;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.RegistryIndex;
import dev.kodo.registry.core.RegistryOptions;
import dev.kodo.registry.core.RegistryStore;
import dev.kodo.registry.core.RegistryStores;
import dev.kodo.registry.core.StoredNode;
import dev.kodo.registry.core.UnknownNodeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Registry}: changes go to the store, then to the index, one at a time (so both see them
 * in the same order); heartbeats and probes go to the index and mark their node dirty, and a
 * background thread writes dirty nodes' state in one transaction per interval.
 */
public final class StoredRegistry implements Registry {
  private static final Logger log = LoggerFactory.getLogger(StoredRegistry.class);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);

  private final RegistryOptions options;
  private final RegistryStore store;
  private final RegistryIndex index;
  private final ReentrantLock changes = new ReentrantLock();
  private final ReentrantLock flushing = new ReentrantLock();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();

  /** The peers by name, as stored; changed only under {@link #changes}. */
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();

  /** How many nodes the index holds from each peer; changed only under {@link #changes}. */
  private final Map<String, Integer> fromPeers = new HashMap<>();

  private final Map<String, Long> lastSample = new HashMap<>();
  private long lastPrune = Long.MIN_VALUE;
  private final Thread flusher;
  private volatile boolean running = true;

  private StoredRegistry(RegistryOptions options, RegistryStore store) {
    this.options = options;
    this.store = store;
    this.index = RegistryIndex.create(options.clock(), options.heartbeatTimeout());
    for (Peer p : store.peers()) peers.put(p.name(), p);
    List<StoredNode> stored = new ArrayList<>();
    Set<String> orphans = new TreeSet<>();
    for (StoredNode n : store.load()) {
      if (n.via() == null || takesIn(n.via())) stored.add(n);
      else orphans.add(n.via());
    }
    for (String via : orphans) {
      log.info(
          "dropping the nodes taken in from '{}', which is no peer this registry takes records from",
          via);
      store.replacePeer(via, List.of());
    }
    this.index.restore(stored);
    for (StoredNode n : stored) {
      if (n.via() != null) fromPeers.merge(n.via(), 1, Integer::sum);
    }
    this.flusher =
        options.flushInterval().isZero()
            ? null
            : Thread.ofPlatform().daemon().name("kodo-registry-flush").start(this::flushLoop);
  }

  public static Registry open(RegistryOptions options) {
    RegistryStore store = RegistryStores.open(options.store());
    try {
      return new StoredRegistry(options, store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return options.name();
  }

  @Override
  public RegistryIndex index() {
    return index;
  }

  private <T> T change(Supplier<T> work) {
    changes.lock();
    try {
      return work.get();
    } finally {
      changes.unlock();
    }
  }

  private Instant now() {
    return options.clock().instant();
  }

  // ------------------------------------------------------------------------------------ admin

  @Override
  public RegistryNode register(String node) {
    Texts.nodeName(node, "node");
    return change(
        () -> {
          Optional<StoredNode> known = index.stored(node);
          if (known.isEmpty() && index.counts().nodes() >= options.maxNodes()) {
            throw new LimitExceededException(
                "node",
                "kodo.registry.max-nodes",
                "this registry holds at most "
                    + options.maxNodes()
                    + " nodes (kodo.registry.max-nodes), its own and its peers'; unregister some"
                    + " (DELETE /registry/register/{node}, POST /registry/cleanup) or raise the limit");
          }
          if (known.isEmpty() || known.get().via() != null) {
            store.register(node, now());
          }
          known.map(StoredNode::via).ifPresent(this::forgetOneFrom);
          return index.register(node);
        });
  }

  @Override
  public boolean unregister(String node) {
    return change(
        () -> {
          index.stored(node).map(StoredNode::via).ifPresent(this::forgetOneFrom);
          boolean stored = store.unregister(node);
          dirty.remove(node);
          return index.unregister(node) || stored;
        });
  }

  /** One node taken in from {@code peer} is gone (called under {@link #changes}). */
  private void forgetOneFrom(String peer) {
    fromPeers.computeIfPresent(peer, (k, n) -> n > 1 ? n - 1 : null);
  }

  @Override
  public RegistryNode constrainNode(String node, Constraints given) {
    Constraints constraints = Checks.constraints(given);
    return change(
        () -> {
          requireLocal(node);
          store.constrainNode(node, constraints);
          return index.constrainNode(node, constraints);
        });
  }

  @Override
  public Optional<RegistryFlow> constrainFlow(String node, String path, Constraints given) {
    Constraints constraints = Checks.constraints(given);
    if (path == null || path.isBlank()) {
      throw new InvalidRequestException("path", "a flow path is required");
    }
    Announcements.checkPath(path, "path");
    return change(
        () -> {
          requireLocal(node);
          Map<String, Constraints> set =
              index.stored(node).map(StoredNode::flowConstraints).orElse(Map.of());
          if (!constraints.isNone()
              && !set.containsKey(path)
              && set.size() >= options.maxFlowsPerNode()) {
            throw new LimitExceededException(
                "path",
                "kodo.registry.max-flows-per-node",
                "node '"
                    + node
                    + "' has constraints on "
                    + set.size()
                    + " flow paths already, the most this registry keeps per node"
                    + " (kodo.registry.max-flows-per-node); clear some (PUT them with {}) or raise the limit");
          }
          store.constrainFlow(node, path, constraints);
          return index.constrainFlow(node, path, constraints);
        });
  }

  private void requireLocal(String node) {
    Optional<StoredNode> known = index.stored(node);
    if (known.isEmpty() || known.get().via() != null) {
      throw new UnknownNodeException(node);
    }
  }

  // -------------------------------------------------------------------------------- node side

  @Override
  public AnnouncementResult connect(Connect given) {
    Connect connect = Checks.connect(given);
    AnnouncementResult checked = Announcements.validate(connect.flows(), options.maxFlowsPerNode());
    return change(
        () -> {
          requireLocal(connect.node());
          store.connect(connect.node(), connect.url(), connect.tags(), checked.accepted(), now());
          return index.connect(connect);
        });
  }

  @Override
  public RegistryNode disconnect(String node) {
    return change(
        () -> {
          requireLocal(node);
          index
              .status(node)
              .ifPresent(
                  s ->
                      store.saveStatus(
                          List.of(
                              new NodeStatus(
                                  s.node(),
                                  false,
                                  s.heartbeat(),
                                  s.health(),
                                  s.usage(),
                                  s.availability(),
                                  s.latency()))));
          return index.disconnect(node);
        });
  }

  @Override
  public boolean heartbeat(Heartbeat heartbeat) {
    boolean recorded = index.heartbeat(heartbeat);
    if (recorded) dirty.add(heartbeat.node());
    return recorded;
  }

  @Override
  public RegistryNode probe(String node, boolean ok, Duration latency) {
    RegistryNode r = index.probe(node, ok, latency);
    dirty.add(node);
    return r;
  }

  @Override
  public List<String> replacePeer(String peer, Collection<StoredNode> nodes) {
    Texts.nodeName(peer, "peer");
    List<StoredNode> taken = new ArrayList<>();
    for (StoredNode n : nodes) {
      List<String> path = pathOf(n, peer);
      if (path.contains(options.name())) continue; // it went round a loop
      try {
        Announcements.checkPeerNode(n);
      } catch (InvalidRequestException e) {
        log.debug(
            "left out node '{}' from peer '{}': {} {}", n.name(), peer, e.parameter(), e.reason());
        continue;
      }
      taken.add(n.receivedVia(path.getFirst(), peer, path));
    }
    return change(
        () -> {
          // A peer removed (or turned consumer) while its records were on their way must not get
          // them back in.
          if (!takesIn(peer)) return List.of();
          List<StoredNode> kept = withinLimit(peer, taken);
          store.replacePeer(peer, kept);
          List<String> names = index.replacePeer(peer, kept);
          fromPeers.put(peer, names.size());
          return names;
        });
  }

  /**
   * The first of a peer's records that fit under {@link RegistryOptions#maxNodes()} once what came
   * from it before is dropped (called under {@link #changes}).
   */
  private List<StoredNode> withinLimit(String peer, List<StoredNode> taken) {
    int before = fromPeers.getOrDefault(peer, 0);
    int room = Math.max(0, options.maxNodes() - (index.counts().nodes() - before));
    if (taken.size() <= room) return taken;
    log.warn(
        "took {} of the {} nodes from peer '{}': this registry holds at most {} nodes (kodo.registry.max-nodes)",
        room,
        taken.size(),
        peer,
        options.maxNodes());
    return taken.subList(0, room);
  }

  /** Whether records from {@code peer} are taken in: it is a provider or a contributor. */
  private boolean takesIn(String peer) {
    Peer p = peers.get(peer);
    return p != null && p.role() != Peer.Role.CONSUMER;
  }

  @Override
  public List<Peer> peers() {
    return peers.values().stream().sorted(Comparator.comparing(Peer::name)).toList();
  }

  @Override
  public Optional<Peer> peer(String name) {
    return Optional.ofNullable(name == null ? null : peers.get(name));
  }

  @Override
  public Peer addPeer(Peer peer) {
    if (peer.name().equals(options.name())) {
      throw new InvalidRequestException(
          "name",
          "'"
              + peer.name()
              + "' is this registry's own name; a peer must be"
              + " another registry (give each registry its own kodo.registry.name)");
    }
    return change(
        () -> {
          if (!peers.containsKey(peer.name()) && peers.size() >= options.maxPeers()) {
            throw new LimitExceededException(
                "name",
                "kodo.registry.max-peers",
                "this registry federates with at most "
                    + options.maxPeers()
                    + " peers (kodo.registry.max-peers); remove one (DELETE /registry/peers/{name}) or"
                    + " raise the limit");
          }
          store.savePeer(peer);
          peers.put(peer.name(), peer);
          if (!takesIn(peer.name())) {
            // Turned consumer: what it sent before has no source to keep it fresh any more.
            store.replacePeer(peer.name(), List.of());
            index.replacePeer(peer.name(), List.of());
            fromPeers.remove(peer.name());
          }
          return peer;
        });
  }

  @Override
  public boolean removePeer(String name) {
    return change(
        () -> {
          boolean removed = store.removePeer(name);
          peers.remove(name);
          index.replacePeer(name, List.of());
          fromPeers.remove(name);
          return removed;
        });
  }

  @Override
  public List<StoredNode> export() {
    return index.export(options.name());
  }

  /**
   * The registries a node from {@code peer} passed through: its stated path (or its origin, or the
   * peer itself when it states neither), ending with the peer.
   */
  private static List<String> pathOf(StoredNode n, String peer) {
    List<String> path = new ArrayList<>(n.path());
    if (path.isEmpty() && n.origin() != null && !n.origin().isBlank()) path.add(n.origin());
    if (path.isEmpty() || !path.getLast().equals(peer)) path.add(peer);
    return List.copyOf(path);
  }

  // ---------------------------------------------------------------------------------- upkeep

  @Override
  public List<HealthSample> history(String node, Instant from, Instant to, int limit) {
    return store.history(node, from, to, limit);
  }

  @Override
  public List<String> stale() {
    return index.stale(now().minus(options.staleAfter()));
  }

  @Override
  public List<String> removeStale() {
    List<String> removed = new ArrayList<>();
    for (String node : stale()) {
      if (unregister(node)) removed.add(node);
    }
    return removed;
  }

  @Override
  public void flush() {
    flushing.lock();
    try {
      List<String> names = new ArrayList<>(dirty);
      names.forEach(dirty::remove);
      List<NodeStatus> statuses = new ArrayList<>(names.size());
      List<HealthSample> samples = new ArrayList<>();
      long now = now().toEpochMilli();
      for (String name : names) {
        Optional<NodeStatus> status = index.status(name);
        if (status.isEmpty()) continue;
        statuses.add(status.get());
        Long last = lastSample.get(name);
        if (last == null || now - last >= options.sampleInterval().toMillis()) {
          index
              .node(name, true)
              .ifPresent(
                  n ->
                      samples.add(
                          new HealthSample(
                              name,
                              Instant.ofEpochMilli(now),
                              n.online(),
                              n.health(),
                              n.availability(),
                              n.latency())));
          lastSample.put(name, now);
        }
      }
      try {
        store.saveStatus(statuses);
        store.addSamples(samples);
      } catch (RuntimeException e) {
        dirty.addAll(names);
        throw e;
      }
      if (lastPrune == Long.MIN_VALUE || now - lastPrune >= PRUNE_EVERY.toMillis()) {
        store.pruneHistory(Instant.ofEpochMilli(now).minus(options.historyRetention()));
        lastSample.keySet().removeIf(n -> index.stored(n).isEmpty());
        lastPrune = now;
      }
    } finally {
      flushing.unlock();
    }
  }

  private void flushLoop() {
    long millis = options.flushInterval().toMillis();
    while (running) {
      try {
        Thread.sleep(millis);
        flush();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running)
          log.warn(
              "writing heartbeats to the registry store failed; will retry: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    if (flusher != null) {
      flusher.interrupt();
      try {
        flusher.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("writing the last heartbeats to the registry store failed: {}", e.getMessage());
    } finally {
      store.close();
    }
  }
}
