package dev.kodo.registry;

import dev.kodo.client.FlowUsage;
import dev.kodo.registry.internal.Texts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's periodic sign of life ({@code PUT /registry/state}): its health figures and per-flow
 * usage. The registry stamps it with its own clock on arrival, so nodes' clocks do not matter.
 *
 * @param node the node's name
 * @param health numeric health figures ({@code load}, {@code workers}, {@code runs_active}, …);
 *     keys of at most 64 letters, digits, {@code _}, {@code .} or {@code -}
 * @param usage runs started/finished per hour, by flow path; flows left out count as unused
 */
public record Heartbeat(String node, Map<String, Double> health, Map<String, FlowUsage> usage) {
  /** At most this many health figures in one heartbeat. */
  public static final int MAX_FIGURES = 100;

  /** @throws InvalidRequestException naming the bad node name, figure or flow */
  public Heartbeat {
    Texts.nodeName(node, "node");
    health = figures(health);
    if (usage == null) {
      usage = Map.of();
    } else {
      if (usage.size() > Announcements.MAX_FLOWS) {
        throw new InvalidRequestException("usage", "at most " + Announcements.MAX_FLOWS + " flows, not " + usage.size());
      }
      usage.forEach((path, u) -> {
        if (path == null || u == null) {
          throw new InvalidRequestException("usage", "flow paths and their figures cannot be null");
        }
        Checks.usage(u);
      });
      usage = Map.copyOf(usage);
    }
  }

  /** A heartbeat with health figures only. */
  public Heartbeat(String node, Map<String, Double> health) {
    this(node, health, Map.of());
  }

  /** Checks health figures: finite numbers under short keys (which a query reads as {@code health.KEY}). */
  static Map<String, Double> figures(Map<String, Double> health) {
    if (health == null || health.isEmpty()) {
      return Map.of();
    }
    if (health.size() > MAX_FIGURES) {
      throw new InvalidRequestException("health", "at most " + MAX_FIGURES + " figures, not " + health.size());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    health.forEach((k, v) -> {
      if (k == null || !k.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new InvalidRequestException("health", "'" + (k == null ? "null" : Texts.echo(k))
            + "' is not a valid figure name: use 1 to 64 letters, digits, '_', '.' or '-'");
      }
      if (v == null || !Double.isFinite(v)) {
        throw new InvalidRequestException("health." + k, "must be a finite number, not " + v);
      }
      out.put(Texts.lower(k), v);
    });
    return Map.copyOf(out);
  }
}
