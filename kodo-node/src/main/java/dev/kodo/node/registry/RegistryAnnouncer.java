package dev.kodo.node.registry;

import dev.kodo.client.BaseUrl;
import dev.kodo.client.Connect;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowInfo;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.HttpClients;
import dev.kodo.client.KodoException;
import dev.kodo.client.Shorten;
import dev.kodo.cluster.Cluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.flows.FlowsChanged;
import dev.kodo.web.security.ClientToken;
import dev.kodo.worker.Worker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Connects the node to its registries (docs/architecture.md#the-registry): those in {@code
 * kodo.registries} (or {@code KODO_REGISTRY}, a comma-separated list), and the registry this
 * process serves itself under {@code koco serve} (a {@link LocalRegistry}, announced to by method
 * calls), where the node is registered out of the box. Requests to a remote registry carry the
 * node's own client token ({@link ClientToken}, subject {@code node:{kodo.node.name}}) when {@code
 * kodo.auth.client-id} is set (docs/security.md#registry-reads-nodes-and-peers). A handshake with
 * the node's flows, a heartbeat every {@code kodo.registry-heartbeat}, the handshake again when the
 * flows change ({@link FlowsChanged}), a goodbye on shutdown. One daemon thread does it all, so a
 * slow or dead registry never blocks start-up or requests; failed attempts back off exponentially
 * (1 s doubling to {@code kodo.registry-retry-max}, with jitter).
 */
@Component
public class RegistryAnnouncer
    implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryAnnouncer.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration GOODBYE_TIMEOUT = Duration.ofSeconds(2);

  private final NodeProperties properties;
  private final FlowCatalog catalog;
  private final Cluster cluster;
  private final ObjectProvider<Worker> worker;
  private final Environment environment;
  private final FlowUsageCounter usage;
  private final ObjectProvider<LocalRegistry> embedded;
  private final ObjectProvider<ClientToken> token;
  private final Instant started = Instant.now();
  private final JsonMapper json = JsonMapper.builder().build();
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClients.plain(Duration.ofSeconds(2));
  private volatile int port;
  private volatile boolean running;
  private Thread thread;

  public RegistryAnnouncer(
      NodeProperties properties,
      FlowCatalog catalog,
      Cluster cluster,
      ObjectProvider<Worker> worker,
      Environment environment,
      FlowUsageCounter usage,
      ObjectProvider<LocalRegistry> embedded,
      ObjectProvider<ClientToken> token) {
    this.token = token;
    this.usage = usage;
    this.embedded = embedded;
    this.properties = properties;
    this.catalog = catalog;
    this.cluster = cluster;
    this.worker = worker;
    this.environment = environment;
    List<String> urls = new ArrayList<>(properties.getRegistries());
    String fromEnv = environment.getProperty("KODO_REGISTRY");
    if (fromEnv != null) urls.addAll(List.of(fromEnv.split(",")));
    for (String r : urls) addLink(r, null);
  }

  private void addLink(String url, LocalRegistry local) {
    if (url == null || url.isBlank()) return;
    String base;
    try {
      base = BaseUrl.of(url);
    } catch (IllegalArgumentException e) {
      // Never echo the value: a URL with a password in it must not reach a log.
      throw new KodoException(
          "a registry in kodo.registries / KODO_REGISTRY is not usable: "
              + e.getMessage()
              + " (give base URLs such as http://registry:3371, comma-separated)");
    }
    for (Link l : links) {
      if (l.url.equals(base)) {
        if (local != null) links.set(links.indexOf(l), new Link(base, local));
        return;
      }
    }
    links.add(new Link(base, local));
  }

  /** One registry and how the node stands with it. */
  static final class Link {
    final String url;

    /** The registry in this process, announced to by method calls; null for a remote one. */
    final LocalRegistry local;

    volatile boolean connected;
    volatile Instant lastHeartbeat;
    volatile String lastError;
    volatile Instant due = Instant.EPOCH;
    int announcedVersion;
    Duration backoff = FIRST_BACKOFF;
    boolean toldNotRegistered;

    Link(String url, LocalRegistry local) {
      this.url = url;
      this.local = local;
    }
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() == null)
      port = event.getWebServer().getPort();
  }

  /** What {@code GET /api/state} shows: {@code [{url, connected, lastHeartbeat, lastError}]}. */
  public List<Map<String, Object>> status() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Link l : links) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", l.url);
      m.put("connected", l.connected);
      Instant hb = l.lastHeartbeat;
      m.put("lastHeartbeat", hb == null ? null : hb.toString());
      m.put("lastError", l.lastError);
      out.add(m);
    }
    return out;
  }

  /** The URL announced to registries. */
  String nodeUrl() {
    String configured = properties.getNode().getUrl();
    if (configured != null && !configured.isBlank()) return configured.strip();
    String host = environment.getProperty("server.address");
    if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "127.0.0.1";
      }
    }
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return "http://" + host + ":" + port;
  }

  /**
   * The flows changed: wake up to announce them again to every connected registry (see {@link
   * #loop}).
   */
  @EventListener
  public void onFlowsChanged(FlowsChanged event) {
    Thread t = thread;
    if (t != null) LockSupport.unpark(t);
  }

  @Override
  public synchronized void start() {
    if (running) return;
    running = true;
    LocalRegistry local = embedded.getIfAvailable();
    if (local != null && port > 0) {
      // koco serve: the registry in this process knows this node from the start.
      local.register(properties.getNode().getName());
      String host = environment.getProperty("server.address", "127.0.0.1");
      if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) host = "127.0.0.1";
      if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
      addLink("http://" + host + ":" + port, local);
    }
    if (links.isEmpty()) return;
    thread = Thread.ofPlatform().daemon().name("kodo-registry-announcer").unstarted(this::loop);
    thread.start();
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (this) {
      if (!running) return;
      running = false;
      t = thread;
      thread = null;
    }
    if (t == null) return;
    t.interrupt();
    try {
      t.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    goodbye();
  }

  /** Releases the HTTP client when the node is done (after {@link #stop}). */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the web server (a higher phase stops first) and starts after it. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private void loop() {
    while (running) {
      Instant next = Instant.now().plus(properties.getRegistryHeartbeat());
      for (Link l : links) {
        if (!running) return;
        boolean flowsChanged = l.connected && l.announcedVersion != catalog.version();
        if (flowsChanged || !Instant.now().isBefore(l.due)) step(l);
        if (l.due.isBefore(next)) next = l.due;
      }
      long wait = Duration.between(Instant.now(), next).toMillis();
      if (wait > 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
        if (Thread.currentThread().isInterrupted()) return;
      }
    }
  }

  private HttpRequest jsonRequest(Link l, String method, String path, Object body) {
    return authorized(HttpRequest.newBuilder(URI.create(l.url + path)))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("X-Kodo-Client", "kodo-node")
        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
        .build();
  }

  /**
   * The request with the node's own client token, when it has one ({@code kodo.auth.client-id});
   * without one a registry with auth on answers 401.
   *
   * @throws IllegalStateException when the auth provider refuses the client or cannot be reached
   */
  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    ClientToken t = token.getIfAvailable();
    if (t != null) t.bearer().ifPresent(bearer -> b.header("Authorization", "Bearer " + bearer));
    return b;
  }

  /** The registry took a handshake or heartbeat: the link is healthy until the next one is due. */
  private void answered(Link l) {
    l.lastHeartbeat = Instant.now();
    l.lastError = null;
    l.backoff = FIRST_BACKOFF;
    l.due = Instant.now().plus(properties.getRegistryHeartbeat());
  }

  private void step(Link l) {
    if (l.local != null) {
      stepInProcess(l);
      return;
    }
    String node = properties.getNode().getName();
    try {
      HttpResponse<String> r;
      int version = catalog.version();
      if (l.connected && l.announcedVersion != version) {
        l.connected = false; // the flows changed since the handshake: announce them again
      }
      if (!l.connected) {
        r = send(jsonRequest(l, "POST", "/registry/connect", connectBody(node)));
        if (ok(r)) {
          answered(l);
          l.connected = true;
          l.announcedVersion = version;
          l.toldNotRegistered = false;
          log.info("node {} connected to registry {} as {}", node, l.url, nodeUrl());
          logRejected(l, r.body());
          return;
        }
      } else {
        r = send(jsonRequest(l, "PUT", "/registry/state", stateBody(node)));
        if (ok(r)) {
          answered(l);
          return;
        }
        if (r.statusCode() == 404 || r.statusCode() == 409) {
          // The registry forgot or dropped this node: connect again right away.
          l.connected = false;
          l.lastError = "heartbeat answered " + r.statusCode() + "; connecting again";
          l.due = Instant.now();
          return;
        }
      }
      l.connected = false;
      if (r.statusCode() == 401) {
        ClientToken t = token.getIfAvailable();
        if (t != null) t.forget();
        failed(
            l,
            "registry answered 401: it needs the node's own client token"
                + " (kodo.auth.client-id/client-secret, a node client named "
                + node
                + ")");
        return;
      }
      if (r.statusCode() == 403 && !notRegistered(r.body())) {
        failed(l, "registry answered 403: " + abbreviate(detail(r.body())));
        return;
      }
      if (r.statusCode() == 403) {
        l.lastError = "node " + node + " is not registered at registry " + l.url;
        if (!l.toldNotRegistered) {
          l.toldNotRegistered = true;
          log.warn(
              "node {} is not registered at registry {}; an admin must POST /registry/register {\"node\":\"{}\"} there",
              node,
              l.url,
              node);
        }
        l.due = Instant.now().plus(properties.getRegistryRetryMax());
        return;
      }
      failed(l, "registry answered " + r.statusCode() + ": " + abbreviate(r.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      l.connected = false;
      failed(
          l, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  /** One step with the registry in this process: as {@link #step}, by method calls. */
  private void stepInProcess(Link l) {
    String node = properties.getNode().getName();
    try {
      int version = catalog.version();
      if (l.connected && l.announcedVersion != version) l.connected = false;
      if (!l.connected) {
        List<String> rejected = l.local.connect(connectBody(node));
        answered(l);
        l.connected = true;
        l.announcedVersion = version;
        log.info("node {} connected to the registry in this process as {}", node, nodeUrl());
        for (String why : rejected) log.warn("the registry in this process rejected {}", why);
      } else if (l.local.heartbeat(stateBody(node))) {
        answered(l);
      } else {
        l.connected = false;
        l.lastError = "the registry dropped the node; connecting again";
        l.due = Instant.now();
      }
    } catch (RuntimeException e) {
      l.connected = false;
      failed(
          l, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  /** Whether a 403 says the node is not registered (rather than that its token is another's). */
  private boolean notRegistered(String body) {
    try {
      return json.readTree(body).path("title").asString("").equals("Node not registered");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A problem's detail, or the body itself when it is not one. */
  private String detail(String body) {
    try {
      String d = json.readTree(body).path("detail").asString("");
      return d.isEmpty() ? body : d;
    } catch (RuntimeException e) {
      return body;
    }
  }

  private void failed(Link l, String error) {
    boolean first = l.lastError == null;
    l.lastError = error;
    Duration max = properties.getRegistryRetryMax();
    Duration wait = l.backoff.compareTo(max) > 0 ? max : l.backoff;
    long jitter = ThreadLocalRandom.current().nextLong(wait.toMillis() / 4 + 1);
    l.due = Instant.now().plus(wait).plusMillis(jitter);
    l.backoff = wait.multipliedBy(2);
    if (first) log.warn("registry {} unreachable ({}); retrying with backoff", l.url, error);
    else log.debug("registry {} still unreachable ({}); next attempt in {}", l.url, error, wait);
  }

  /**
   * Sends and waits at most twice the request timeout for the whole answer: a registry that
   * trickles it fails.
   */
  private HttpResponse<String> send(HttpRequest request) throws Exception {
    var answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return answer.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IOException(
          "no complete answer within " + TIMEOUT.multipliedBy(2).toSeconds() + " s");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * Flow records the registry refused (e.g. a release that is not a semantic version) are logged,
   * not retried.
   */
  private void logRejected(Link l, String body) {
    try {
      JsonNode rejected = json.readTree(body).path("rejected");
      for (JsonNode x : rejected) {
        log.warn(
            "registry {} rejected flow {}: {} {}",
            l.url,
            x.path("path").asString(""),
            x.path("field").asString(""),
            x.path("reason").asString(""));
      }
    } catch (RuntimeException e) {
      log.debug(
          "registry {} answered the handshake with something unexpected: {}",
          l.url,
          abbreviate(body));
    }
  }

  private static boolean ok(HttpResponse<?> r) {
    return r.statusCode() / 100 == 2;
  }

  private static String abbreviate(String s) {
    if (s == null) return "";
    return Shorten.to(s, 200);
  }

  Connect connectBody(String node) {
    List<FlowAnnouncement> flows = new ArrayList<>();
    for (LoadedFlow f : catalog.all()) {
      FlowInfo i = f.info();
      flows.add(
          new FlowAnnouncement(
              i.path(),
              i.name(),
              i.description(),
              i.author(),
              i.organization(),
              started,
              i.release(),
              i.tags() == null ? List.of() : i.tags()));
    }
    return new Connect(node, nodeUrl(), null, flows);
  }

  /**
   * The heartbeat: health figures and, per flow, the runs started and finished and their model
   * calls (calls, tokens, cost) in the last hour.
   */
  Heartbeat stateBody(String node) {
    Map<String, Double> health = new LinkedHashMap<>();
    Worker w = worker.getIfAvailable();
    health.put("activeRuns", w == null ? 0.0 : w.active());
    health.put("queuedRuns", (double) cluster.queuedRuns());
    health.put("uptime", (double) Duration.between(started, Instant.now()).toSeconds());
    Runtime rt = Runtime.getRuntime();
    health.put("heapUsed", (double) (rt.totalMemory() - rt.freeMemory()));
    Map<String, FlowUsage> perFlow = new LinkedHashMap<>();
    for (LoadedFlow f : catalog.all()) {
      perFlow.put(f.path(), usage.lastHour(f.path()));
    }
    return new Heartbeat(node, health, perFlow);
  }

  /** Says goodbye to every connected registry, in parallel, waiting at most 2 s in all. */
  private void goodbye() {
    String node = properties.getNode().getName();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (Link l : links) {
      if (!l.connected) continue;
      l.connected = false;
      if (l.local != null) {
        try {
          l.local.disconnect(node);
        } catch (RuntimeException e) {
          log.debug("could not say goodbye to the registry in this process: {}", e.toString());
        }
        continue;
      }
      try {
        HttpRequest req =
            authorized(HttpRequest.newBuilder(URI.create(l.url + "/registry/disconnect")))
                .timeout(GOODBYE_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("X-Kodo-Client", "kodo-node")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        json.writeValueAsString(Map.of("node", node))))
                .build();
        calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.discarding()));
      } catch (Exception e) {
        log.debug("could not say goodbye to registry {}: {}", l.url, e.toString());
      }
    }
    if (calls.isEmpty()) return;
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
          .get(GOODBYE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn(
          "could not say goodbye to every registry within {}: {}", GOODBYE_TIMEOUT, e.toString());
    }
  }
}
