package dev.kodo.registry.federation;

import dev.kodo.client.Shorten;
import dev.kodo.registry.RegistryProperties;
import dev.kodo.registry.core.Announcements;
import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.Peer;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.StoredNode;
import dev.kodo.registry.outbound.OutboundHttp;
import dev.kodo.registry.outbound.RemoteAnswer;
import dev.kodo.registry.outbound.TargetRefusedException;
import dev.kodo.web.Periodic;
import dev.kodo.web.security.ClientToken;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Federation (docs/http-api.md#upkeep-and-federation): every {@code kodo.registry.sync-interval}
 * this registry pulls the export of each {@link Peer.Role#PROVIDER provider} peer and pushes its
 * own export to each {@link Peer.Role#CONSUMER consumer}; {@link Peer.Role#CONTRIBUTOR
 * contributors} push to it ({@link #accept}). What a peer sends replaces what came from it before,
 * so a node or flow its origin dropped is gone after the next exchange; records whose path names
 * this registry are left out, so nothing goes round a loop.
 *
 * <p>Requests go through {@link OutboundHttp}: only to allowed targets, with every answer read up
 * to a limit ({@code kodo.registry.max-export-size} for an export, {@value #MAX_PUSH_ANSWER} bytes
 * for a consumer's answer to a push). A peer's status never quotes what a provider or consumer
 * answered, only the status code and a classification, so the registry cannot be used to read other
 * services' answers. Pulls and pushes carry this registry's own client token ({@link ClientToken},
 * subject {@code node:{kodo.registry.name}}) when it has one: peers are URLs an operator chose
 * (docs/security.md#registry-reads-nodes-and-peers).
 */
@Component("registryFederation")
public class Federation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Federation.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * The largest answer read from a consumer after a push: it names the nodes taken (at most {@value
   * #MAX_NODES} names of at most 64 characters) and the first {@value #MAX_REASONS} reasons.
   */
  static final int MAX_PUSH_ANSWER = 8 * 1024 * 1024;

  /** The most node records taken from one peer. */
  static final int MAX_NODES = 100_000;

  /** The most reasons for left-out records given back in one answer. */
  static final int MAX_REASONS = 100;

  private final Registry registry;
  private final JsonMapper json;
  private final Clock clock = Clock.systemUTC();
  private final OutboundHttp http;
  private final long maxExport;
  private final Map<String, PeerStatus> statuses = new ConcurrentHashMap<>();

  /** One exchange per peer at a time, so an older answer never lands after a newer one. */
  private final Map<String, Object> exchanges = new ConcurrentHashMap<>();

  private final Periodic periodic;

  /** This registry's own client token, sent to its providers and consumers; absent without auth. */
  private final ObjectProvider<ClientToken> token;

  public Federation(
      Registry registry,
      JsonMapper json,
      RegistryProperties properties,
      OutboundHttp http,
      ObjectProvider<ClientToken> token) {
    this.registry = registry;
    this.token = token;
    this.http = http;
    this.maxExport = properties.getMaxExportSize().toBytes();
    // A peer may leave out what it does not know (a node that never connected has no "connected").
    this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    this.periodic =
        Periodic.every("kodo-registry-federation", properties.getSyncInterval(), this::syncAll);
  }

  /**
   * How the exchange with a peer last went.
   *
   * @param lastSync when records last came from or went to it, or null
   * @param lastError why the last attempt failed, or null if it did not
   * @param nodes how many of its nodes this registry holds now (pulled or pushed here), or how many
   *     the peer took of this registry's (consumers)
   * @param rejected how many records of the last exchange were left out, with why in {@code
   *     lastError}
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
      registry
          .peer(p.name())
          .filter(now -> now.role() != Peer.Role.CONTRIBUTOR)
          .ifPresent(this::sync);
    }
  }

  /** Exchanges with the peer soon, on the federation thread (after it was added). */
  void syncSoon(Peer peer) {
    if (peer.role() != Peer.Role.CONTRIBUTOR) periodic.soon(() -> sync(peer));
  }

  /**
   * Exchanges with one peer now: pulls from a provider or pushes to a consumer; nothing for a
   * contributor.
   */
  public PeerStatus sync(Peer peer) {
    synchronized (exchanges.computeIfAbsent(peer.name(), k -> new Object())) {
      return exchange(peer);
    }
  }

  private PeerStatus exchange(Peer peer) {
    PeerStatus before = status(peer.name());
    PeerStatus after;
    try {
      after =
          switch (peer.role()) {
            case PROVIDER -> pull(peer);
            case CONSUMER -> push(peer);
            case CONTRIBUTOR -> before;
          };
    } catch (TargetRefusedException e) {
      after = new PeerStatus(before.lastSync(), "not contacted: " + e.reason(), before.nodes(), 0);
    } catch (IOException | RuntimeException e) {
      after = new PeerStatus(before.lastSync(), describe(e), before.nodes(), 0);
    }
    if (after.lastError() != null
        && (before.lastError() == null || !before.lastError().equals(after.lastError()))) {
      log.warn(
          "federation with {} registry '{}' at {}: {}",
          peer.role().wire(),
          peer.name(),
          peer.url(),
          after.lastError());
    }
    record(peer.name(), after);
    return after;
  }

  /** Keeps a peer's status, unless it was removed meanwhile. */
  private void record(String peer, PeerStatus status) {
    statuses.put(peer, status);
    if (registry.peer(peer).isEmpty()) statuses.remove(peer);
  }

  private PeerStatus pull(Peer peer) throws IOException {
    RemoteAnswer r =
        http.send("GET", peer.url() + "/registry/export", null, TIMEOUT, maxExport, bearer());
    if (r.status() == 401) return refusedToken(peer, "GET /registry/export");
    if (r.status() != 200) return failed(peer, "GET /registry/export answered " + r.statusText());
    JsonNode document;
    try {
      document = json.readTree(r.body());
    } catch (JacksonException e) {
      return failed(peer, "GET /registry/export answered 200 but not JSON" + at(e));
    }
    Imported imported = read(document, peer.name());
    List<String> taken = registry.replacePeer(peer.name(), imported.nodes());
    return new PeerStatus(
        clock.instant(), imported.problemWithoutValues(), taken.size(), imported.rejected());
  }

  private PeerStatus push(Peer peer) throws IOException {
    byte[] body = json.writeValueAsBytes(ExportDocument.of(registry, clock.instant()));
    RemoteAnswer r =
        http.send("PUT", peer.url() + "/registry/import", body, TIMEOUT, MAX_PUSH_ANSWER, bearer());
    if (r.status() == 401) return refusedToken(peer, "PUT /registry/import");
    if (r.status() == 403 && refusedAsAnotherRegistry(r.body())) {
      return failed(
          peer,
          "it refuses this registry's token for pushes: a registry pushes with its own client token"
              + " (kodo.auth.client-id "
              + registry.name()
              + ", a node client named as this registry)");
    }
    if (r.status() == 403) {
      return failed(
          peer,
          "it does not take this registry's pushes; an admin must add it there as a contributor:"
              + " POST /registry/peers {\"name\":\""
              + registry.name()
              + "\",\"role\":\"contributor\"}");
    }
    if (r.status() != 200) return failed(peer, "PUT /registry/import answered " + r.statusText());
    JsonNode answer;
    try {
      answer = json.readTree(r.body());
    } catch (JacksonException e) {
      return failed(peer, "PUT /registry/import answered 200 but not JSON" + at(e));
    }
    return new PeerStatus(
        clock.instant(), null, answer.path("taken").size(), answer.path("rejected").size());
  }

  /**
   * This registry's access token for its peers ({@code kodo.auth.client-id}/{@code client-secret},
   * subject {@code node:{kodo.registry.name}}), or null when it has no client (auth off, or none
   * configured).
   */
  private String bearer() {
    ClientToken t = token.getIfAvailable();
    return t == null ? null : t.bearer().orElse(null);
  }

  /**
   * Whether a consumer's 403 says the token is not this registry's (rather than that this registry
   * is not its contributor); the answer is classified, never quoted.
   */
  private boolean refusedAsAnotherRegistry(byte[] body) {
    try {
      return json.readTree(body).path("detail").asString("").contains("push only its own export");
    } catch (JacksonException e) {
      return false;
    }
  }

  /** The peer refused this registry's token (or that it sent none): a fresh one next time. */
  private PeerStatus refusedToken(Peer peer, String request) {
    ClientToken t = token.getIfAvailable();
    if (t != null) t.forget();
    return failed(
        peer,
        request
            + " answered 401: it takes no request without a token it trusts; this registry sends"
            + " its own client token (kodo.auth.client-id/client-secret) from the issuer both"
            + " registries trust");
  }

  /** Where in a remote answer JSON broke, without quoting it. */
  private static String at(JacksonException e) {
    var l = e.getLocation();
    return l == null || l.getLineNr() < 0
        ? ""
        : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
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
      record(
          contributor.name(),
          new PeerStatus(clock.instant(), imported.problem(), taken.size(), imported.rejected()));
      return new Imported(
          imported.nodes(),
          taken,
          imported.rejections(),
          imported.rejected(),
          imported.firstRejected());
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
      throw new IllegalArgumentException(
          "the export is of another registry than '"
              + peer
              + "'; a peer's name must be its kodo.registry.name");
    }
    JsonNode items = document.get("nodes");
    if (items.size() > MAX_NODES) {
      throw new IllegalArgumentException(
          "the export holds " + items.size() + " nodes; at most " + MAX_NODES + " are taken");
    }
    List<StoredNode> nodes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    String first = null;
    int rejected = 0;
    for (int i = 0; i < items.size(); i++) {
      String where = "nodes[" + i + "]";
      String why;
      if (!items.get(i).isObject()) {
        why = where + ": must be a node record (an object)";
      } else {
        try {
          StoredNode n = json.treeToValue(items.get(i), StoredNode.class);
          Announcements.checkPeerNode(n);
          nodes.add(n);
          continue;
        } catch (InvalidRequestException e) {
          where += "." + e.parameter().split("[.\\[]", 2)[0];
          why = "nodes[" + i + "]." + e.parameter() + ": " + e.reason();
        } catch (RuntimeException e) {
          why = where + ": " + describe(e);
        }
      }
      rejected++;
      if (first == null) first = where;
      if (reasons.size() < MAX_REASONS) reasons.add(why);
    }
    return new Imported(nodes, List.of(), reasons, rejected, first);
  }

  /**
   * What came in from a peer.
   *
   * @param nodes the valid records
   * @param taken the names of the nodes taken in (after loops and name clashes were left out)
   * @param rejections why records were left out (the first {@value #MAX_REASONS})
   * @param rejected how many records were left out
   * @param firstRejected where the first record left out is, e.g. {@code nodes[3].url}, or null
   */
  record Imported(
      List<StoredNode> nodes,
      List<String> taken,
      List<String> rejections,
      int rejected,
      String firstRejected) {
    /**
     * What was left out, with the first reason (fit for a contributor, whose own records they are).
     */
    String problem() {
      return rejections.isEmpty()
          ? null
          : rejected + " record(s) left out, e.g. " + rejections.getFirst();
    }

    /** What was left out, naming where but quoting no value (fit for what a provider answered). */
    String problemWithoutValues() {
      return firstRejected == null
          ? null
          : rejected
              + " record(s) left out, e.g. "
              + firstRejected
              + " is not acceptable; its registry can check them with GET /registry/export";
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
      String at =
          ref == null || ref.isBlank()
              ? ""
              : " (" + ref.replace("dev.kodo.registry.core.", "") + ")";
      String why =
          cause instanceof RuntimeException && cause.getMessage() != null
              ? cause.getMessage()
              : j.getOriginalMessage();
      return abbreviate(why + at);
    }
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) t = t.getCause();
    String m = t.getMessage();
    return abbreviate(
        m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m);
  }

  private static String abbreviate(String s) {
    if (s == null) return "";
    return Shorten.to(s.replaceAll("\\s+", " "), 300);
  }

  @Override
  public void close() {
    periodic.close();
  }
}
