package dev.kodo.registry.core;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Where the registry keeps what it knows, so that a restarted registry answers from what it knew
 * (docs/architecture.md#the-registry): nodes, the flows they announced, admins' constraints and
 * sampled health history, in SQLite or PostgreSQL. The {@link RegistryIndex} answers every read;
 * the store is written as things change and read in full once at start ({@link #load()}).
 *
 * <p>Open one with {@link RegistryStores#open}. Implementations are thread-safe. Failures are
 * {@link dev.kodo.client.KodoException}s naming the node and the database, retryable when the
 * database was only unavailable or busy.
 */
public interface RegistryStore extends AutoCloseable {

  /** Everything stored, one entry per node with its flows and constraints. */
  List<StoredNode> load();

  /**
   * Stores a newly registered node; a stored node of that name (local or from a peer) is replaced
   * by it.
   */
  void register(String node, Instant at);

  /**
   * Removes a node, its flows, the constraints on it and its history; false if it was not stored.
   */
  boolean unregister(String node);

  /**
   * Stores a node's handshake: its URL and tags, connected and heard from at {@code at}, and its
   * announced flows in place of the earlier ones.
   *
   * @param flows the accepted (validated) flows
   */
  void connect(
      String node, String url, List<String> tags, List<FlowAnnouncement> flows, Instant at);

  /**
   * Saves the fast-changing state of nodes (heartbeats, probes, disconnects) in one transaction;
   * unknown nodes are skipped.
   */
  void saveStatus(Collection<NodeStatus> statuses);

  /** Stores an admin's constraints on a node ({@link Constraints#NONE} removes them). */
  void constrainNode(String node, Constraints constraints);

  /** Stores an admin's constraints on a node's flow ({@link Constraints#NONE} removes them). */
  void constrainFlow(String node, String path, Constraints constraints);

  /**
   * Replaces the nodes that came through a peer registry (their {@code via}) with {@code nodes}.
   */
  void replacePeer(String peer, Collection<StoredNode> nodes);

  /** The peers, by name. */
  List<Peer> peers();

  /** Stores a peer, replacing one of the same name. */
  void savePeer(Peer peer);

  /**
   * Removes a peer and, in the same transaction, every node taken in from it; false if the peer was
   * not stored.
   */
  boolean removePeer(String name);

  /** Adds health samples; samples of nodes that are not stored are skipped. */
  void addSamples(Collection<HealthSample> samples);

  /**
   * A node's health samples taken from {@code from} (inclusive) to {@code to} (exclusive), oldest
   * first, at most {@code limit}.
   */
  List<HealthSample> history(String node, Instant from, Instant to, int limit);

  /** Removes the health samples taken before {@code before}; answers how many. */
  int pruneHistory(Instant before);

  /** Closes the connection; later calls fail. */
  @Override
  void close();
}
