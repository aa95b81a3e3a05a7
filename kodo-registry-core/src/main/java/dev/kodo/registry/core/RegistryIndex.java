package dev.kodo.registry.core;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.internal.InMemoryIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The registry's directory in memory: registered nodes, what they announced, what admins set over
 * it, and their liveness; answering lists with search, query, sorting and paging. Built for 100,000
 * flows: a list is one pass over precomputed lower-case texts, never copies the index, and never
 * waits for a writer.
 *
 * <p>Thread-safe. Reads work on an immutable snapshot; changes to the set of nodes and flows
 * (register, connect, constraints) publish a new snapshot under a short lock; heartbeats and probes
 * swap one node's state atomically without a lock or a copy. It holds no data of its own beyond
 * memory: a {@link Registry} keeps a {@link RegistryStore} in step and restores the index from it
 * at start.
 *
 * <pre>{@code
 * RegistryIndex index = RegistryIndex.create(Clock.systemUTC(), Duration.ofSeconds(300));
 * index.register("alpha");
 * index.connect(new Connect("alpha", "http://10.0.0.5:3370", List.of("eu"), flows));
 * index.heartbeat(new Heartbeat("alpha", Map.of("load", 0.4)));
 * Page<RegistryFlow> page = index.flows(ListRequest.of(null, "online and tags contains \"finance\"", "name", 0, 50));
 * }</pre>
 */
public interface RegistryIndex {

  /**
   * An empty index.
   *
   * @param clock the registry's clock: heartbeats are stamped with it and liveness judged by it
   * @param heartbeatTimeout how old a node's last heartbeat may be for it to count as online
   */
  static RegistryIndex create(Clock clock, Duration heartbeatTimeout) {
    return new InMemoryIndex(clock, heartbeatTimeout);
  }

  /** How old a last heartbeat may be for its node to be online. */
  Duration heartbeatTimeout();

  // ------------------------------------------------------------------------------------ admin

  /**
   * Registers a node so that it may connect; registering a registered node changes nothing. A node
   * of the same name that came from a peer registry is replaced: local nodes win.
   *
   * @throws InvalidRequestException ({@code node}) for a name that is not a valid node name
   */
  RegistryNode register(String node);

  /** Removes a node with everything it announced and every constraint on it; false if unknown. */
  boolean unregister(String node);

  /**
   * Sets an admin's constraints on a node (replacing earlier ones; {@link Constraints#NONE} clears
   * them).
   *
   * @throws UnknownNodeException if the node is not registered
   */
  RegistryNode constrainNode(String node, Constraints constraints);

  /**
   * Sets an admin's constraints on a flow of a node, also one the node does not announce (yet);
   * they apply whenever it does.
   *
   * @return the flow as it shows now, or empty if the node does not announce it
   * @throws UnknownNodeException if the node is not registered
   */
  Optional<RegistryFlow> constrainFlow(String node, String path, Constraints constraints);

  // -------------------------------------------------------------------------------- node side

  /**
   * A node's handshake: records its URL and tags, replaces the flows it announced before with the
   * valid ones of this announcement, marks it connected and heard from now.
   *
   * @return which flows were accepted and why the others were rejected
   * @throws UnknownNodeException if the node was not registered (HTTP 403)
   * @throws InvalidRequestException if the announcement as a whole is unacceptable (too many flows)
   */
  AnnouncementResult connect(Connect connect);

  /**
   * Marks a node disconnected: it shows offline (with its flows) until it connects again.
   *
   * @throws UnknownNodeException if the node is not registered
   */
  RegistryNode disconnect(String node);

  /**
   * Records a heartbeat, stamped now. Cheap enough for many thousands a second.
   *
   * @return true if recorded; false if the node is disconnected (it must connect again: a heartbeat
   *     alone does not bring back a node that said goodbye)
   * @throws UnknownNodeException if the node is not registered
   */
  boolean heartbeat(Heartbeat heartbeat);

  /**
   * Records the outcome of probing a node ({@code GET /api/actuator/health}): availability becomes
   * the share of successes among the last 20 probes, latency the mean time of those successes.
   *
   * @param latency how long the probe took (ignored for failures)
   * @throws UnknownNodeException if the node is not registered
   */
  RegistryNode probe(String node, boolean ok, Duration latency);

  // ------------------------------------------------------------------- restore and federation

  /** Replaces the whole index with stored nodes (at start, from the {@link RegistryStore}). */
  void restore(Collection<StoredNode> nodes);

  /**
   * Replaces every node that came through peer {@code peer} with {@code nodes} (each with its
   * {@code origin} set, {@code via} = {@code peer}): a node or flow the peer no longer exports is
   * gone. A node whose name is taken by a local node or by another peer's node is left out (the
   * earlier one wins).
   *
   * @return the names of the nodes taken in
   */
  List<String> replacePeer(String peer, Collection<StoredNode> nodes);

  /**
   * What peer registries take in ({@code GET /registry/export}): every visible node, local or from
   * a peer, with its visible flows. Hidden nodes and flows and admins' notes stay here; an admin's
   * tags travel (they are what this registry shows). Local nodes get {@code self} as their origin.
   */
  List<StoredNode> export(String self);

  // ------------------------------------------------------------------------------------ reads

  /**
   * One page of flows. {@code search} looks at each flow's name, description, author, organization,
   * node name and tags (as shown); the default order is by node name, then path.
   *
   * @throws InvalidRequestException for a bad {@code search} or {@code by}
   * @throws QuerySyntaxException for a bad {@code query}
   */
  Page<RegistryFlow> flows(ListRequest request);

  /**
   * One page of nodes. {@code search} looks at each node's name, URL and tags (as shown); the
   * default order is by name.
   *
   * @throws InvalidRequestException for a bad {@code search} or {@code by}
   * @throws QuerySyntaxException for a bad {@code query}
   */
  Page<RegistryNode> nodes(ListRequest request);

  /** One node, if registered (and visible, unless {@code includeHidden}). */
  Optional<RegistryNode> node(String name, boolean includeHidden);

  /** One flow, if announced (and visible, unless {@code includeHidden}). */
  Optional<RegistryFlow> flow(String node, String path, boolean includeHidden);

  /** Everything known of a node, as it is stored. */
  Optional<StoredNode> stored(String node);

  /** A node's fast-changing state, as it is saved after heartbeats and probes. */
  Optional<NodeStatus> status(String node);

  /** The local nodes last heard from (or, if never, registered) before {@code before}. */
  List<String> stale(Instant before);

  /**
   * How many nodes (and how many of them online) and flows the index holds, hidden ones included.
   */
  Counts counts();

  /**
   * Sizes of the index.
   *
   * @param nodes registered nodes, local and from peers
   * @param online nodes online now
   * @param flows announced flows
   */
  record Counts(int nodes, int online, int flows) {}
}
