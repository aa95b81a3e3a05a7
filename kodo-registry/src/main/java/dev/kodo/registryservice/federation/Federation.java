package dev.kodo.registryservice.federation;

import dev.kodo.registry.Announcements;
import dev.kodo.registry.InvalidRequestException;
import dev.kodo.registry.Peer;
import dev.kodo.registry.Registry;
import dev.kodo.registry.StoredNode;
import dev.kodo.registryservice.RegistryProperties;
import dev.kodo.web.Periodic;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Federation (DESIGN §1, §5): every {@code kodo.registry.sync-interval} this registry pulls the
 * export of each {@link Peer.Role#PROVIDER provider} peer and pushes its own export to each {@link
 * Peer.Role#CONSUMER consumer}; {@link Peer.Role#CONTRIBUTOR contributors} push to it ({@link
 * #accept}). What a peer sends replaces what came from it before, so a node or flow its origin
 * dropped is gone after the next exchange; records whose path names this registry are left out, so
 * nothing goes round a loop.
 */
@Component("registryFederation")
public class Federation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Federation.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Executor READER = Executors.newVirtualThreadPerTaskExecutor();
  /** The largest export taken from a peer. */
  static final int MAX_EXPORT_BYTES = 64 * 1024 * 1024;
  /** The most node records taken from one peer. */
  static final int MAX_NODES = 100_000;
  /** The most reasons for left-out records given back in one answer. */
  static final int MAX_REASONS = 100;

  private final Registry registry;
  private final JsonMapper json;
  private final Clock clock = Clock.systemUTC();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, PeerStatus> statuses = new ConcurrentHashMap<>();
  /** One exchange per peer at a time, so an older answer never lands after a newer one. */
  private final Map<String, Object> exchanges = new ConcurrentHashMap<>();
  private final Periodic periodic;

  public Federation(Registry registry, JsonMapper json, RegistryProperties properties) {
    this.registry = registry;
    // A peer may leave out what it does not know (a node that never connected has no "connected").
    this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    this.periodic = Periodic.every("kodo-registry-federation", properties.getSyncInterval(), this::syncAll);
  }

  /**
   * How the exchange with a peer last went.
   *
   * @param lastSync when records last came from or went to it, or null
   * @param lastError why the last attempt failed, or null if it did not
   * @param nodes how many of its nodes this registry holds now (pulled or pushed here), or how many
   *     the peer took of this registry's (consumers)
   * @param rejected how many records of the last exchange were left out, with why in {@code lastError}
   */
  public record PeerStatus(Instant lastSync, String lastError, int nodes, int rejected) {
    static final PeerStatus NEVER = new PeerStatus(null, null, 0, 0);
  }

  /** The peer's last exchange. */
  public PeerStatus status(String peer) {
    return statuses.getOrDefault(peer, PeerStatus.NEVER);
  }

  /** Forgets a removed peer's status. */
  void forget(String peer) {
    statuses.remove(peer);
  }

  /** Exchanges with every provider and consumer now. */
  public void syncAll() {
    for (Peer p : registry.peers()) {
      // Read again: the peer may have been removed or changed since the list was made.
      registry.peer(p.name()).filter(now -> now.role() != Peer.Role.CONTRIBUTOR).ifPresent(this::sync);
    }
  }

  /** Exchanges with the peer soon, on the federation thread (after it was added). */
  void syncSoon(Peer peer) {
    if (peer.role() != Peer.Role.CONTRIBUTOR) periodic.soon(() -> sync(peer));
  }

  /** Exchanges with one peer now: pulls from a provider or pushes to a consumer; nothing for a contributor. */
  public PeerStatus sync(Peer peer) {
    synchronized (exchanges.computeIfAbsent(peer.name(), k -> new Object())) {
      return exchange(peer);
    }
  }

  private PeerStatus exchange(Peer peer) {
    PeerStatus before = status(peer.name());
    PeerStatus after;
    try {
      after = switch (peer.role()) {
        case PROVIDER -> pull(peer);
        case CONSUMER -> push(peer);
        case CONTRIBUTOR -> before;
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return before;
    } catch (IOException | RuntimeException e) {
      after = new PeerStatus(before.lastSync(), describe(e), before.nodes(), 0);
    }
    if (after.lastError() != null && (before.lastError() == null || !before.lastError().equals(after.lastError()))) {
      log.warn("federation with {} registry '{}' at {}: {}", peer.role().wire(), peer.name(), peer.url(), after.lastError());
    }
    record(peer.name(), after);
    return after;
  }

  /** Keeps a peer's status, unless it was removed meanwhile. */
  private void record(String peer, PeerStatus status) {
    statuses.put(peer, status);
    if (registry.peer(peer).isEmpty()) statuses.remove(peer);
  }

  private PeerStatus pull(Peer peer) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(peer.url() + "/registry/export")).timeout(TIMEOUT)
        .header("Accept", "application/json").GET().build();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    byte[] body = readWithin(r.body(), TIMEOUT);
    if (r.statusCode() != 200) {
      return failed(peer, "GET /registry/export answered " + r.statusCode() + ": " + abbreviate(new String(body,
          java.nio.charset.StandardCharsets.UTF_8)));
    }
    Imported imported = read(json.readTree(body), peer.name());
    List<String> taken = registry.replacePeer(peer.name(), imported.nodes());
    return new PeerStatus(clock.instant(), imported.problem(), taken.size(), imported.rejected());
  }

  private PeerStatus push(Peer peer) throws IOException, InterruptedException {
    byte[] body = json.writeValueAsBytes(ExportDocument.of(registry, clock.instant()));
    HttpRequest request = HttpRequest.newBuilder(URI.create(peer.url() + "/registry/import")).timeout(TIMEOUT)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> r = within(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()), TIMEOUT);
    if (r.statusCode() == 403) {
      return failed(peer, "it does not take this registry's pushes; an admin must add it there as a contributor:"
          + " POST /registry/peers {\"name\":\"" + registry.name() + "\",\"role\":\"contributor\"}");
    }
    if (r.statusCode() != 200) return failed(peer, "PUT /registry/import answered " + r.statusCode() + ": " + abbreviate(r.body()));
    JsonNode answer = json.readTree(r.body());
    return new PeerStatus(clock.instant(), null, answer.path("taken").size(), answer.path("rejected").size());
  }

  /**
   * Takes in what a contributor pushed ({@code PUT /registry/import}).
   *
   * @return the names of the nodes taken in and the records left out
   */
  Imported accept(Peer contributor, JsonNode document) {
    synchronized (exchanges.computeIfAbsent(contributor.name(), k -> new Object())) {
      Imported imported = read(document, contributor.name());
      List<String> taken = registry.replacePeer(contributor.name(), imported.nodes());
      record(contributor.name(), new PeerStatus(clock.instant(), imported.problem(), taken.size(), imported.rejected()));
      return new Imported(imported.nodes(), taken, imported.rejections(), imported.rejected());
    }
  }

  /**
   * An export document read record by record: a record that is not a valid node is left out with
   * its reason, the rest are taken in.
   *
   * @throws IllegalArgumentException if the document is not an export of registry {@code peer}
   */
  Imported read(JsonNode document, String peer) {
    if (document == null || !document.isObject() || !document.path("nodes").isArray()) {
      throw new IllegalArgumentException("not a registry export: expected {registry, nodes:[…]}");
    }
    String name = document.path("registry").asString("");
    if (!name.equals(peer)) {
      throw new IllegalArgumentException("the export is of registry '" + abbreviate(name) + "', not of '" + peer
          + "'; a peer's name must be its kodo.registry.name");
    }
    JsonNode items = document.get("nodes");
    if (items.size() > MAX_NODES) {
      throw new IllegalArgumentException("the export holds " + items.size() + " nodes; at most " + MAX_NODES + " are taken");
    }
    List<StoredNode> nodes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < items.size(); i++) {
      if (!items.get(i).isObject()) {
        rejected++;
        if (reasons.size() < MAX_REASONS) reasons.add("nodes[" + i + "]: must be a node record (an object)");
        continue;
      }
      try {
        StoredNode n = json.treeToValue(items.get(i), StoredNode.class);
        Announcements.checkPeerNode(n);
        nodes.add(n);
      } catch (InvalidRequestException e) {
        rejected++;
        if (reasons.size() < MAX_REASONS) reasons.add("nodes[" + i + "]." + e.parameter() + ": " + e.reason());
      } catch (RuntimeException e) {
        rejected++;
        if (reasons.size() < MAX_REASONS) reasons.add("nodes[" + i + "]: " + describe(e));
      }
    }
    return new Imported(nodes, List.of(), reasons, rejected);
  }

  /**
   * What came in from a peer.
   *
   * @param nodes the valid records
   * @param taken the names of the nodes taken in (after loops and name clashes were left out)
   * @param rejections why records were left out (the first {@value #MAX_REASONS})
   * @param rejected how many records were left out
   */
  record Imported(List<StoredNode> nodes, List<String> taken, List<String> rejections, int rejected) {
    String problem() {
      return rejections.isEmpty() ? null : rejected + " record(s) left out, e.g. " + rejections.getFirst();
    }
  }

  /** Reads a body of at most {@link #MAX_EXPORT_BYTES} within {@code deadline}; a peer that trickles it is cut off. */
  private static byte[] readWithin(InputStream in, Duration deadline) throws IOException, InterruptedException {
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (in) {
        byte[] b = in.readNBytes(MAX_EXPORT_BYTES + 1);
        if (b.length > MAX_EXPORT_BYTES) throw new IllegalArgumentException("its export is larger than " + MAX_EXPORT_BYTES + " bytes");
        return b;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, READER);
    try {
      return within(read, deadline);
    } finally {
      if (!read.isDone()) in.close();
    }
  }

  /** Waits for {@code future} at most {@code deadline}; its failure is thrown as it is. */
  static <T> T within(CompletableFuture<T> future, Duration deadline) throws IOException, InterruptedException {
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IOException("no complete answer within " + deadline.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
      if (cause instanceof IOException io) throw io;
      if (cause instanceof RuntimeException re) throw re;
      throw new IOException(cause);
    }
  }

  private PeerStatus failed(Peer peer, String why) {
    PeerStatus before = status(peer.name());
    return new PeerStatus(before.lastSync(), why, before.nodes(), 0);
  }

  private static String describe(Throwable e) {
    if (e instanceof JacksonException j) {
      Throwable cause = j.getCause();
      String ref = j.getPathReference();
      String at = ref == null || ref.isBlank() ? "" : " (" + ref.replace("dev.kodo.registry.", "") + ")";
      String why = cause instanceof RuntimeException && cause.getMessage() != null ? cause.getMessage() : j.getOriginalMessage();
      return abbreviate(why + at);
    }
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) t = t.getCause();
    String m = t.getMessage();
    return abbreviate(m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m);
  }

  private static String abbreviate(String s) {
    if (s == null) return "";
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }

  @Override
  public void close() {
    periodic.close();
    http.close();
  }
}
