package dev.kodo.registry.core;

import dev.kodo.client.Check;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the registry knows of one node, as it is kept in a {@link RegistryStore} and loaded
 * into a {@link RegistryIndex} at start ({@link RegistryIndex#restore}), or received from a peer
 * registry ({@link RegistryIndex#replacePeer}). Liveness is not stored: it follows from {@code
 * connected} and {@code heartbeat} when read.
 *
 * @param name the node's name
 * @param url its base URL, or null if it never connected
 * @param registered when an admin registered it
 * @param connected whether it is connected
 * @param heartbeat when it was last heard from, or null
 * @param health its last health figures
 * @param usage its flows' last usage, by path
 * @param availability share of successful probes (0..1), or null
 * @param latency mean probe time in milliseconds, or null
 * @param tags the tags it announced
 * @param constraints an admin's constraints on it
 * @param origin the registry it was announced to, null if this one
 * @param via the peer it came through, null if it connected here
 * @param flows the flows it announced (already validated)
 * @param flowConstraints an admin's constraints on its flows, by path (also paths not announced
 *     now)
 * @param path the registries it passed through before reaching this one, from its origin to the
 *     peer it came from; empty if it connected here. A registry never takes in a node whose path
 *     names it, so records cannot go round a loop of federated registries.
 */
public record StoredNode(
    String name,
    String url,
    Instant registered,
    boolean connected,
    Instant heartbeat,
    Map<String, Double> health,
    Map<String, FlowUsage> usage,
    Double availability,
    Double latency,
    List<String> tags,
    Constraints constraints,
    String origin,
    String via,
    List<FlowAnnouncement> flows,
    Map<String, Constraints> flowConstraints,
    List<String> path) {

  public StoredNode {
    Check.notNull(name, "node name");
    Check.notNull(registered, "registered");
    health = health == null ? Map.of() : Map.copyOf(health);
    usage = usage == null ? Map.of() : Map.copyOf(usage);
    usage.values().forEach(Checks::usage);
    tags = tags == null ? List.of() : List.copyOf(tags);
    constraints = constraints == null ? Constraints.NONE : Checks.constraints(constraints);
    flows = flows == null ? List.of() : List.copyOf(flows);
    flowConstraints = flowConstraints == null ? Map.of() : checked(flowConstraints);
    path = path == null ? List.of() : List.copyOf(path);
  }

  private static Map<String, Constraints> checked(Map<String, Constraints> byPath) {
    Map<String, Constraints> out = new LinkedHashMap<>();
    byPath.forEach((path, c) -> out.put(path, c == null ? null : Checks.constraints(c)));
    return Map.copyOf(out);
  }

  /**
   * This node as received from peer {@code via}: the same record with its origin, the peer it came
   * through and its path set.
   */
  public StoredNode receivedVia(String origin, String via, List<String> path) {
    return new StoredNode(
        name,
        url,
        registered,
        connected,
        heartbeat,
        health,
        usage,
        availability,
        latency,
        tags,
        constraints,
        origin,
        via,
        flows,
        flowConstraints,
        path);
  }

  /** A node just registered: nothing announced yet. */
  public static StoredNode registered(String name, Instant at) {
    return new StoredNode(
        name, null, at, false, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }
}
