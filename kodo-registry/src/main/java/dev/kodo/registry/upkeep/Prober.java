package dev.kodo.registry.upkeep;

import dev.kodo.client.Page;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.RegistryProperties;
import dev.kodo.registry.core.ListRequest;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.UnknownNodeException;
import dev.kodo.registry.outbound.OutboundHttp;
import dev.kodo.registry.outbound.TargetRefusedException;
import dev.kodo.web.Periodic;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Probes {@code GET /api/actuator/health} (public: no token is sent) on every connected node of
 * this registry each {@code kodo.registry.probe-interval}
 * (docs/http-api.md#nodes-and-their-handshake): a 2xx answer within {@code
 * kodo.registry.probe-timeout} is a success. The outcomes make each node's {@code availability}
 * (share of successes among its last 20 probes) and {@code latency}. Nodes from peers are probed by
 * their own registry. A node whose URL is not an allowed target ({@code
 * kodo.registry.allowed-targets}) is not contacted: its probe fails. Probes run on virtual threads,
 * at most {@value #PARALLEL} at a time.
 */
@Component("registryProber")
public class Prober implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Prober.class);
  private static final int PARALLEL = 32;
  private static final String LOCAL_CONNECTED = "connected and origin = null";

  /**
   * What is probed: the node's public health, so that no token goes to a URL a node announced
   * itself (docs/security.md#registry-reads-nodes-and-peers).
   */
  static final String HEALTH = "/api/actuator/health";

  private final Registry registry;
  private final Duration timeout;
  private final OutboundHttp http;
  private final Periodic periodic;

  /** The node URLs already warned about as refused targets, so the log says it once. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public Prober(Registry registry, RegistryProperties properties, OutboundHttp http) {
    this.registry = registry;
    this.timeout = properties.getProbeTimeout();
    this.http = http;
    this.periodic =
        Periodic.every("kodo-registry-prober", properties.getProbeInterval(), this::probeAll);
  }

  /**
   * Probes every connected local node once and waits for the outcomes; answers how many were
   * probed.
   */
  public int probeAll() {
    Semaphore slots = new Semaphore(PARALLEL);
    int probed = 0;
    try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RegistryNode n : connectedNodes()) {
        if (n.url() == null) continue;
        try {
          slots.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        probes.execute(
            () -> {
              try {
                probe(n);
              } finally {
                slots.release();
              }
            });
        probed++;
      }
    }
    return probed;
  }

  private List<RegistryNode> connectedNodes() {
    List<RegistryNode> out = new ArrayList<>();
    for (int p = 0; ; p++) {
      Page<RegistryNode> page =
          registry
              .index()
              .nodes(
                  new ListRequest(null, LOCAL_CONNECTED, null, p, ListRequest.MAX_PER_PAGE, true));
      out.addAll(page.items());
      if ((long) (p + 1) * ListRequest.MAX_PER_PAGE >= page.filtered()) return out;
    }
  }

  /**
   * One probe; the whole exchange must end within the timeout: a node that trickles its answer
   * fails.
   */
  private void probe(RegistryNode n) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      int status = http.send("GET", n.url() + HEALTH, null, timeout, 0).status();
      ok = status / 100 == 2;
      if (!ok) log.debug("probe of node {} at {} failed: HTTP {}", n.name(), n.url(), status);
    } catch (TargetRefusedException e) {
      if (warned.size() > 10_000) warned.clear();
      if (warned.add(n.name() + " " + n.url()))
        log.warn("not probing node {} at {}: {}", n.name(), n.url(), e.reason());
    } catch (IOException | RuntimeException e) {
      log.debug("probe of node {} at {} failed: {}", n.name(), n.url(), e.toString());
    }
    record(n.name(), ok, Duration.ofNanos(System.nanoTime() - start));
  }

  private void record(String node, boolean ok, Duration latency) {
    try {
      registry.probe(node, ok, latency);
    } catch (UnknownNodeException e) {
      // unregistered while it was probed
    }
  }

  @Override
  public void close() {
    periodic.close();
  }
}
