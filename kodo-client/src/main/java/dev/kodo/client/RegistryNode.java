package dev.kodo.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node as a registry shows it ({@code GET /registry/nodes}): what the node announced, what an
 * admin set over it, and its liveness as the registry sees it. The one model of this shape: the
 * registry makes it, its client reads it. Immutable; made per answer.
 *
 * @param name the node's name, unique in the registry
 * @param url the node's base URL, null until it first connects
 * @param registered when an admin registered it
 * @param connected whether it is connected (between its connect and its disconnect)
 * @param online whether it is connected and its last heartbeat is younger than the registry's
 *     timeout
 * @param heartbeat when the registry last heard from it, or null
 * @param health its last reported health figures
 * @param availability the share of successful probes (0..1), or null if never probed
 * @param latency the mean time of the successful probes in milliseconds, or null
 * @param tags the tags shown: the admin's if set, else the announced ones
 * @param announcedTags the tags the node announced
 * @param constraints what an admin set on the node ({@code tags}, {@code hidden}, {@code notes})
 * @param hidden whether the node is hidden from non-operators
 * @param notes the admin's notes, or null
 * @param origin the registry it was announced to if it came through federation; null if it
 *     connected here
 * @param flows how many flows it offers
 */
public record RegistryNode(
    String name,
    String url,
    Instant registered,
    boolean connected,
    boolean online,
    Instant heartbeat,
    Map<String, Double> health,
    Double availability,
    Double latency,
    List<String> tags,
    List<String> announcedTags,
    Constraints constraints,
    boolean hidden,
    String notes,
    String origin,
    int flows) {}
