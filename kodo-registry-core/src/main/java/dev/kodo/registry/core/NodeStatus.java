package dev.kodo.registry.core;

import dev.kodo.client.FlowUsage;
import java.time.Instant;
import java.util.Map;

/**
 * The fast-changing part of a node — what heartbeats and probes update — as a {@link RegistryStore}
 * saves it in batches.
 *
 * @param node the node's name
 * @param connected whether it is connected
 * @param heartbeat when it was last heard from, or null
 * @param health its last health figures
 * @param usage its flows' last usage, by path
 * @param availability share of successful probes (0..1), or null
 * @param latency mean probe time in milliseconds, or null
 */
public record NodeStatus(
    String node,
    boolean connected,
    Instant heartbeat,
    Map<String, Double> health,
    Map<String, FlowUsage> usage,
    Double availability,
    Double latency) {}
