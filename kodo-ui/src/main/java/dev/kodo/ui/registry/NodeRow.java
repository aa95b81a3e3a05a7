package dev.kodo.ui.registry;

import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.HealthSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A node as the registry's pages show it (docs/ui.md#registry-pages): online or offline, how long
 * ago it was last heard from, its availability and its recent health as a {@link Sparkline}.
 *
 * @param node the node as the registry lists it
 * @param heartbeat how long ago its last heartbeat was, e.g. {@code 12 s ago}, or {@code never}
 * @param availability its availability as a percentage, e.g. {@code 99.5 %}, or {@code —} if it was
 *     never probed
 * @param history its recent health
 * @param link its URL to link to, or null unless it is an http(s) URL
 */
public record NodeRow(
    RegistryNode node, String heartbeat, String availability, Sparkline history, String link) {

  /** The row of {@code node} at {@code now}, with its health {@code samples}, oldest first. */
  public static NodeRow of(RegistryNode node, List<HealthSample> samples, Instant now) {
    return new NodeRow(
        node,
        age(node.heartbeat(), now),
        percent(node.availability()),
        Sparkline.of(samples),
        FlowRow.http(node.url()));
  }

  /** How long ago {@code then} was at {@code now}, in its largest whole unit. */
  public static String age(Instant then, Instant now) {
    if (then == null) return "never";
    Duration d = Duration.between(then, now);
    if (d.isNegative()) d = Duration.ZERO;
    long s = d.toSeconds();
    if (s < 60) return s + " s ago";
    if (s < 3600) return s / 60 + " min ago";
    if (s < 86_400) return s / 3600 + " h ago";
    return s / 86_400 + " d ago";
  }

  /** An availability (0..1) as a percentage, or {@code —} if there is none. */
  public static String percent(Double availability) {
    if (availability == null) return "—";
    String p = String.format(Locale.ROOT, "%.1f", 100 * availability);
    return (p.endsWith(".0") ? p.substring(0, p.length() - 2) : p) + " %";
  }
}
