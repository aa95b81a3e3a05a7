package dev.kodo.registry.core;

import dev.kodo.client.Check;
import dev.kodo.store.StoreOptions;
import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link Registry} runs. Immutable; made with {@link #builder(StoreOptions)}, checked when
 * built.
 *
 * <pre>{@code
 * RegistryOptions o = RegistryOptions.builder(RegistryStores.sqlite(dataDir))
 *     .name("eu-registry").heartbeatTimeout(Duration.ofSeconds(300)).build();
 * }</pre>
 *
 * @param store where the registry keeps its data
 * @param name this registry's name: the {@code origin} of its own nodes when peers import them
 * @param clock the clock heartbeats are stamped with and liveness is judged by
 * @param heartbeatTimeout how old a node's last heartbeat may be for it to be online (default 300
 *     s)
 * @param flushInterval how often heartbeat and probe state is written to the store (default 1 s;
 *     zero: only on {@link Registry#flush()} and close)
 * @param sampleInterval at most one health sample per node per this interval (default 1 min)
 * @param historyRetention how long health samples are kept (default 7 days)
 * @param staleAfter how long a node may stay silent before {@link Registry#stale()} lists it
 *     (default 7 days)
 * @param maxNodes the most nodes the registry holds, its own and those taken in from peers (default
 *     100,000): registering one more is refused, a peer's records past it are left out
 * @param maxFlowsPerNode the most flows one node may announce, and the most flow paths an admin may
 *     constrain on one node (default {@value Announcements#MAX_FLOWS})
 * @param maxPeers the most peers the registry federates with (default 100)
 */
public record RegistryOptions(
    StoreOptions store,
    String name,
    Clock clock,
    Duration heartbeatTimeout,
    Duration flushInterval,
    Duration sampleInterval,
    Duration historyRetention,
    Duration staleAfter,
    int maxNodes,
    int maxFlowsPerNode,
    int maxPeers) {

  public RegistryOptions {
    Check.notNull(store, "store options");
    Check.notBlank(name, "registry name");
    Check.notNull(clock, "clock");
    positive(heartbeatTimeout, "heartbeat timeout");
    Check.that(
        flushInterval != null && !flushInterval.isNegative(),
        "flush interval must be zero or positive");
    positive(sampleInterval, "sample interval");
    positive(historyRetention, "history retention");
    positive(staleAfter, "stale after");
    Check.that(maxNodes > 0, "max nodes must be positive, not " + maxNodes);
    Check.that(maxFlowsPerNode > 0, "max flows per node must be positive, not " + maxFlowsPerNode);
    Check.that(maxPeers > 0, "max peers must be positive, not " + maxPeers);
  }

  private static void positive(Duration d, String what) {
    Check.that(d != null && !d.isNegative() && !d.isZero(), what + " must be positive, not " + d);
  }

  /** A builder with the defaults, storing in {@code store}. */
  public static Builder builder(StoreOptions store) {
    return new Builder(store);
  }

  /** Builds {@link RegistryOptions}. */
  public static final class Builder {
    private final StoreOptions store;
    private String name = "registry";
    private Clock clock = Clock.systemUTC();
    private Duration heartbeatTimeout = Duration.ofSeconds(300);
    private Duration flushInterval = Duration.ofSeconds(1);
    private Duration sampleInterval = Duration.ofMinutes(1);
    private Duration historyRetention = Duration.ofDays(7);
    private Duration staleAfter = Duration.ofDays(7);
    private int maxNodes = 100_000;
    private int maxFlowsPerNode = Announcements.MAX_FLOWS;
    private int maxPeers = 100;

    private Builder(StoreOptions store) {
      this.store = store;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder heartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = timeout;
      return this;
    }

    public Builder flushInterval(Duration interval) {
      this.flushInterval = interval;
      return this;
    }

    public Builder sampleInterval(Duration interval) {
      this.sampleInterval = interval;
      return this;
    }

    public Builder historyRetention(Duration retention) {
      this.historyRetention = retention;
      return this;
    }

    public Builder staleAfter(Duration after) {
      this.staleAfter = after;
      return this;
    }

    public Builder maxNodes(int max) {
      this.maxNodes = max;
      return this;
    }

    public Builder maxFlowsPerNode(int max) {
      this.maxFlowsPerNode = max;
      return this;
    }

    public Builder maxPeers(int max) {
      this.maxPeers = max;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option that is missing or out of range
     */
    public RegistryOptions build() {
      return new RegistryOptions(
          store,
          name,
          clock,
          heartbeatTimeout,
          flushInterval,
          sampleInterval,
          historyRetention,
          staleAfter,
          maxNodes,
          maxFlowsPerNode,
          maxPeers);
    }
  }
}
