package dev.kodo.registry.core;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.internal.StoredRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The registry without its HTTP layer — this module's entry point: a {@link RegistryIndex} kept in
 * step with a {@link RegistryStore}. Opening it loads the store into the index, so a restarted
 * registry answers from what it knew. Admin changes and connects are written to the store before
 * they show; heartbeats and probes show at once and are written in batches ({@link
 * RegistryOptions#flushInterval()}), with a health sample per node at most once per {@link
 * RegistryOptions#sampleInterval()}.
 *
 * <p>Thread-safe; one per process. Reads go straight to {@link #index()}. Close it to write the
 * last heartbeats and release the store.
 *
 * <pre>{@code
 * try (Registry registry = Registry.open(RegistryOptions.builder(RegistryStores.sqlite(dataDir)).build())) {
 *   registry.register("alpha");
 *   AnnouncementResult r = registry.connect(new Connect("alpha", "http://127.0.0.1:3370", null, flows));
 *   registry.heartbeat(new Heartbeat("alpha", Map.of("load", 0.2)));
 *   Page<RegistryFlow> page = registry.index().flows(ListRequest.of("report", null, "name", 0, 20));
 * }
 * }</pre>
 */
public interface Registry extends AutoCloseable {

  /**
   * Opens the store, migrates it, loads it into a new index and starts the background writer.
   *
   * @throws dev.kodo.client.KodoException if the store cannot be opened or read
   */
  static Registry open(RegistryOptions options) {
    return StoredRegistry.open(options);
  }

  /** This registry's name (the {@code origin} of its own nodes in other registries). */
  String name();

  /** The index every read goes to. */
  RegistryIndex index();

  /** Registers a node (idempotent). See {@link RegistryIndex#register}. */
  RegistryNode register(String node);

  /** Removes a node and everything about it; false if unknown. */
  boolean unregister(String node);

  /** Sets an admin's constraints on a node. See {@link RegistryIndex#constrainNode}. */
  RegistryNode constrainNode(String node, Constraints constraints);

  /** Sets an admin's constraints on a flow. See {@link RegistryIndex#constrainFlow}. */
  Optional<RegistryFlow> constrainFlow(String node, String path, Constraints constraints);

  /** A node's handshake. See {@link RegistryIndex#connect}. */
  AnnouncementResult connect(Connect connect);

  /** A node's goodbye, written at once. See {@link RegistryIndex#disconnect}. */
  RegistryNode disconnect(String node);

  /** A heartbeat; written with the next batch. See {@link RegistryIndex#heartbeat}. */
  boolean heartbeat(Heartbeat heartbeat);

  /** A probe's outcome; written with the next batch. See {@link RegistryIndex#probe}. */
  RegistryNode probe(String node, boolean ok, Duration latency);

  /**
   * Takes in what a peer registry exports, replacing what came from it before — if {@code peer} is
   * (still) a provider or contributor of this registry; otherwise nothing changes. Records whose
   * path names this registry are left out (they went round a loop), as are records {@link
   * Announcements#checkPeerNode} refuses; records without an origin get the peer's name as theirs.
   *
   * @return the names of the nodes taken in
   */
  List<String> replacePeer(String peer, Collection<StoredNode> nodes);

  /**
   * What peers take in: {@link RegistryIndex#export} with this registry's name as the origin of its
   * own nodes.
   */
  List<StoredNode> export();

  /** The peers this registry federates with, by name. */
  List<Peer> peers();

  /** One peer, if there is one of that name. */
  Optional<Peer> peer(String name);

  /**
   * Adds a peer, or changes one of the same name. A peer may not bear this registry's own name.
   *
   * @throws InvalidRequestException ({@code name}) for this registry's own name
   */
  Peer addPeer(Peer peer);

  /**
   * Removes a peer and every node taken in from it.
   *
   * @return false if there was no such peer
   */
  boolean removePeer(String name);

  /**
   * A node's health samples from {@code from} to {@code to}, oldest first, at most {@code limit}.
   */
  List<HealthSample> history(String node, Instant from, Instant to, int limit);

  /** The local nodes silent for longer than {@link RegistryOptions#staleAfter()}. */
  List<String> stale();

  /** Unregisters the {@link #stale()} nodes; answers their names. */
  List<String> removeStale();

  /** Writes pending heartbeat and probe state and due health samples now. */
  void flush();

  /** Flushes, stops the background writer and closes the store. */
  @Override
  void close();
}
