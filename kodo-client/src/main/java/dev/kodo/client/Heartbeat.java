package dev.kodo.client;

import java.util.Map;

/**
 * A node's periodic sign of life to a registry ({@code PUT /registry/state}): its health figures
 * and per-flow usage. The one model of this shape: the node writes it, the registry reads it; the
 * registry stamps it with its own clock on arrival, so nodes' clocks do not matter. Immutable. Not
 * checked here: the registry checks what it takes in ({@code
 * dev.kodo.registry.core.Checks#heartbeat}).
 *
 * @param node the node's name
 * @param health numeric health figures ({@code load}, {@code activeRuns}, …); keys of at most 64
 *     letters, digits, {@code _}, {@code .} or {@code -}
 * @param usage runs started/finished per hour, by flow path; flows left out count as unused
 */
public record Heartbeat(String node, Map<String, Double> health, Map<String, FlowUsage> usage) {
  /** A heartbeat with health figures only. */
  public Heartbeat(String node, Map<String, Double> health) {
    this(node, health, Map.of());
  }
}
