package dev.kodo.registryservice.upkeep;

import dev.kodo.web.Periodic;
import dev.kodo.client.Page;
import dev.kodo.registry.ListRequest;
import dev.kodo.registry.NodeRecord;
import dev.kodo.registry.Registry;
import dev.kodo.registry.UnknownNodeException;
import dev.kodo.registryservice.RegistryProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Probes {@code GET /api/state} on every connected node of this registry each {@code
 * kodo.registry.probe-interval} (DESIGN §5): a 2xx answer within {@code kodo.registry.probe-timeout}
 * is a success. The outcomes make each node's {@code availability} (share of successes among its
 * last 20 probes) and {@code latency}. Nodes from peers are probed by their own registry.
 */
@Component("registryProber")
public class Prober implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Prober.class);
  private static final int PARALLEL = 32;
  private static final String LOCAL_CONNECTED = "connected and origin = null";

  private final Registry registry;
  private final Duration timeout;
  private final HttpClient http;
  private final Periodic periodic;

  public Prober(Registry registry, RegistryProperties properties) {
    this.registry = registry;
    this.timeout = properties.getProbeTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1).build();
    this.periodic = Periodic.every("kodo-registry-prober", properties.getProbeInterval(), this::probeAll);
  }

  /** Probes every connected local node once and waits for the outcomes; answers how many were probed. */
  public int probeAll() {
    Semaphore slots = new Semaphore(PARALLEL);
    List<CompletableFuture<?>> probes = new ArrayList<>();
    for (NodeRecord n : connectedNodes()) {
      if (n.url() == null) continue;
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      probes.add(probe(n).whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).join();
    return probes.size();
  }

  private List<NodeRecord> connectedNodes() {
    List<NodeRecord> out = new ArrayList<>();
    for (int p = 0; ; p++) {
      Page<NodeRecord> page = registry.index().nodes(
          new ListRequest(null, LOCAL_CONNECTED, null, p, ListRequest.MAX_PER_PAGE, true));
      out.addAll(page.items());
      if ((long) (p + 1) * ListRequest.MAX_PER_PAGE >= page.filtered()) return out;
    }
  }

  private CompletableFuture<Void> probe(NodeRecord n) {
    long start = System.nanoTime();
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(n.url() + "/api/state")).timeout(timeout)
          .header("Accept", "application/json").GET().build();
    } catch (IllegalArgumentException e) {
      record(n.name(), false, Duration.ZERO);
      return CompletableFuture.completedFuture(null);
    }
    // The whole exchange, body included, must end within the timeout: a node that trickles its answer fails.
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).handle((r, e) -> {
      boolean ok = e == null && r.statusCode() / 100 == 2;
      if (!ok) log.debug("probe of node {} at {} failed: {}", n.name(), n.url(), e == null ? "HTTP " + r.statusCode() : e.toString());
      record(n.name(), ok, Duration.ofNanos(System.nanoTime() - start));
      return null;
    });
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
    http.close();
  }
}
