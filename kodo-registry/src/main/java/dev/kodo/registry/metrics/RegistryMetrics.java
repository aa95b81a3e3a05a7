package dev.kodo.registry.metrics;

import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.RegistryIndex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The registry's {@code kodo_registry_*} metrics (docs/operations.md#metrics): nodes registered and
 * online and flows announced (gauges over the index's counts, read at most once per {@link
 * #COUNTS_AGE}), heartbeats by outcome and flow searches (counters the controllers feed). Without a
 * Micrometer registry in the application it counts nothing. Thread-safe.
 */
@Component
public class RegistryMetrics {
  /** How old the index counts the gauges show may be. */
  static final Duration COUNTS_AGE = Duration.ofSeconds(1);

  private final Registry registry;
  private final Counter accepted;
  private final Counter refused;
  private final Counter searches;
  private volatile RegistryIndex.Counts counts;
  private volatile long countedAt;

  RegistryMetrics(Registry registry, ObjectProvider<MeterRegistry> meters) {
    this.registry = registry;
    MeterRegistry m = meters.getIfAvailable();
    if (m == null) {
      accepted = refused = searches = null;
      return;
    }
    gauge(m, "kodo.registry.nodes", "Nodes the registry holds", RegistryIndex.Counts::nodes);
    gauge(m, "kodo.registry.nodes.online", "Nodes online now", RegistryIndex.Counts::online);
    gauge(
        m,
        "kodo.registry.flows",
        "Flows the registry's nodes announce",
        RegistryIndex.Counts::flows);
    accepted = heartbeats(m, "accepted");
    refused = heartbeats(m, "refused");
    searches =
        Counter.builder("kodo.registry.searches")
            .description("Flow searches and listings answered")
            .register(m);
  }

  /** A node's heartbeat was taken ({@code true}) or refused (it must connect again). */
  public void heartbeat(boolean taken) {
    Counter c = taken ? accepted : refused;
    if (c != null) c.increment();
  }

  /** A flow search (or plain listing) was answered. */
  public void searched() {
    if (searches != null) searches.increment();
  }

  private static Counter heartbeats(MeterRegistry m, String outcome) {
    return Counter.builder("kodo.registry.heartbeats")
        .description("Heartbeats received from nodes, by outcome")
        .tag("outcome", outcome)
        .register(m);
  }

  private void gauge(
      MeterRegistry m, String name, String description, ToDoubleFunction<RegistryIndex.Counts> f) {
    Gauge.builder(name, this, r -> f.applyAsDouble(r.counts()))
        .description(description)
        .register(m);
  }

  private RegistryIndex.Counts counts() {
    RegistryIndex.Counts c = counts;
    if (c == null || System.nanoTime() - countedAt > COUNTS_AGE.toNanos()) {
      c = registry.index().counts();
      counts = c;
      countedAt = System.nanoTime();
    }
    return c;
  }
}
