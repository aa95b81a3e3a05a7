package dev.kodo.registry.federation;

import dev.kodo.registry.core.Peer;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Federation over HTTP (docs/http-api.md#upkeep-and-federation): admins add and remove peers; peers
 * fetch this registry's export (any authenticated caller) and contributors push theirs (with their
 * own client token); the rest is for operators ({@link RegistryAccess}).
 */
@RestController("registryPeersController")
class RegistryPeersController {
  private static final Set<String> PEER_FIELDS = Set.of("name", "url", "role");

  private final Registry registry;
  private final Federation federation;
  private final PeerAdmin peers;

  RegistryPeersController(Registry registry, Federation federation, PeerAdmin peers) {
    this.registry = registry;
    this.federation = federation;
    this.peers = peers;
  }

  /** The peers with how the exchange with each last went. */
  @GetMapping("/registry/peers")
  List<Map<String, Object>> peers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PeerAdmin.PeerView p : peers.list()) out.add(view(p));
    return out;
  }

  /**
   * Adds a peer (or changes the one of that name): {@code {name, url, role}} with role {@code
   * provider} (pull its export), {@code contributor} (take its pushes) or {@code consumer} (push
   * the export to it). 201 with the peer; the first exchange starts at once. 422 if its URL is not
   * one the registry may send requests to ({@code kodo.registry.allowed-targets}), 409 when the
   * registry has {@code kodo.registry.max-peers} peers.
   */
  @PostMapping("/registry/peers")
  ResponseEntity<Map<String, Object>> add(@RequestBody JsonNode body) {
    RegistryAccess.operator("add peers");
    JsonNode b = JsonBodies.object(body, PEER_FIELDS);
    PeerAdmin.PeerView peer =
        peers.add(
            JsonBodies.required(b, "name"),
            JsonBodies.string(b, "url"),
            JsonBodies.required(b, "role"));
    return ResponseEntity.status(HttpStatus.CREATED).body(view(peer));
  }

  /** Removes a peer and every node taken in from it: 204, or 404 if unknown. */
  @DeleteMapping("/registry/peers/{name}")
  ResponseEntity<Void> remove(@PathVariable String name) {
    peers.remove(name);
    return ResponseEntity.noContent().build();
  }

  /** Exchanges with a provider or consumer now and answers how it went; 404 if unknown. */
  @PostMapping("/registry/peers/{name}/sync")
  Map<String, Object> sync(@PathVariable String name) {
    RegistryAccess.operator("exchange with peers");
    Peer peer = registry.peer(name).orElseThrow(() -> ApiException.notFound("peer", name));
    federation.sync(peer);
    return view(peers.view(peer));
  }

  /** This registry's visible nodes with their flows, origins and paths, for its peers. */
  @GetMapping("/registry/export")
  ExportDocument export() {
    return ExportDocument.of(registry, Instant.now());
  }

  /**
   * A contributor's push: {@code {registry, nodes:[…]}} as its export. It replaces what that
   * contributor pushed before. 403 unless {@code registry} names a contributor peer and the caller
   * is that peer's client ({@code node:{registry}}) or an operator; records that are not valid
   * nodes are left out and listed in {@code rejected}.
   */
  @PutMapping("/registry/import")
  Map<String, Object> accept(@RequestBody JsonNode body) {
    RegistryAccess.someNodeOrOperator("push a registry's export");
    JsonNode b = JsonBodies.object(body, Set.of("registry", "exported", "nodes"));
    String from = JsonBodies.required(b, "registry");
    RegistryAccess.peer(from);
    if (!b.path("nodes").isArray()) throw JsonBodies.field("nodes", "must be an array of nodes");
    Peer contributor =
        registry
            .peer(from)
            .filter(p -> p.role() == Peer.Role.CONTRIBUTOR)
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpStatus.FORBIDDEN,
                        "Not a contributor",
                        "registry '"
                            + ApiException.shorten(from)
                            + "' is not a contributor"
                            + " of this registry; an admin must add it first: POST /registry/peers {\"name\":\"…\",\"role\":\"contributor\"}",
                        null));
    Federation.Imported imported;
    try {
      imported = federation.accept(contributor, b);
    } catch (IllegalArgumentException e) {
      throw JsonBodies.field("nodes", e.getMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("registry", registry.name());
    out.put("taken", imported.taken());
    out.put("rejected", imported.rejections());
    out.put("rejectedCount", imported.rejected());
    return out;
  }

  private static Map<String, Object> view(PeerAdmin.PeerView v) {
    Peer p = v.peer();
    Federation.PeerStatus s = v.status();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("url", p.url());
    m.put("role", p.role().wire());
    m.put("added", p.added());
    m.put("lastSync", s.lastSync());
    m.put("lastError", s.lastError());
    m.put("nodes", s.nodes());
    m.put("rejected", s.rejected());
    return m;
  }
}
