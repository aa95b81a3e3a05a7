package dev.kodo.registry.core;

import java.time.Instant;
import java.util.Map;

/**
 * One point of a node's health history: the registry samples each live node's status (at most one
 * sample per node per sampling interval, one minute by default) and prunes old samples.
 *
 * @param node the node's name
 * @param at when the sample was taken
 * @param online whether the node was online then
 * @param health its health figures then
 * @param availability its availability then, or null
 * @param latency its probe latency then (ms), or null
 */
public record HealthSample(
    String node,
    Instant at,
    boolean online,
    Map<String, Double> health,
    Double availability,
    Double latency) {
  public HealthSample {
    health = health == null ? Map.of() : Map.copyOf(health);
  }
}
