package dev.kodo.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A client of a registry's HTTP API (docs/http-api.md#registry): browse and search nodes and flows,
 * and the admin calls that register and unregister nodes and add, remove and sync federation peers.
 * Thread-safe; one instance per registry is enough. Errors are those of {@link NodeClient}: a
 * {@link NodeException} with the registry's problem document (400 for a malformed {@code query},
 * naming the column; 404 for an unknown node), a retryable {@link KodoException} when nothing
 * answers.
 *
 * <pre>{@code
 * RegistryClient registry = RegistryClient.connect("http://127.0.0.1:3371");
 * registry.register("alpha");
 * registry.addPeer("us", "http://us-registry:3371", "provider");
 * for (RegistryFlow f : registry.flows(ListOptions.all().withQuery("online and tags contains \"finance\"")).items()) {
 *   System.out.println(f.url() + " offers " + f.path());
 * }
 * }</pre>
 */
public final class RegistryClient {
  private final JsonHttp http;

  private RegistryClient(JsonHttp http) {
    this.http = http;
  }

  /**
   * A client of the registry at {@code url}, e.g. {@code http://127.0.0.1:3371}.
   *
   * @throws KodoException if {@code url} is not an http(s) URL
   */
  public static RegistryClient connect(String url) {
    return connect(url, TokenSupplier.none());
  }

  /**
   * A client of the registry at {@code url} that sends the bearer token {@code tokens} gives; a 401
   * is a {@link NotAuthenticatedException}.
   *
   * @throws KodoException if {@code url} is not an http(s) URL
   */
  public static RegistryClient connect(String url, TokenSupplier tokens) {
    return new RegistryClient(
        JsonHttp.connect(url, "registry", "is `koco registry` running?", tokens));
  }

  public URI url() {
    return http.base();
  }

  /** The registry's name and how many nodes (online) and flows it knows. */
  public RegistryState state() {
    return http.get("/registry/state", RegistryState.class);
  }

  /** One page of nodes; hidden nodes are not listed. */
  public Page<RegistryNode> nodes(ListOptions options) {
    Check.notNull(options, "options");
    return http.get(
        "/registry/nodes" + options.toQueryString(), new TypeReference<Page<RegistryNode>>() {});
  }

  /** One node; a {@link NodeException} with 404 if the registry does not know it (or hides it). */
  public RegistryNode node(String name) {
    Check.notBlank(name, "node");
    return http.get("/registry/nodes/" + JsonHttp.encode(name), RegistryNode.class);
  }

  /**
   * One page of the flows of every node, each with its node's URL and liveness; hidden flows are
   * not listed.
   */
  public Page<RegistryFlow> flows(ListOptions options) {
    Check.notNull(options, "options");
    return http.get(
        "/registry/flows" + options.toQueryString(), new TypeReference<Page<RegistryFlow>>() {});
  }

  /**
   * Registers a node so that it may connect, and returns it (also when it was registered already).
   * A {@link NodeException} with 400 if the name is not a valid node name.
   */
  public RegistryNode register(String node) {
    Check.notBlank(node, "node");
    return http.send(
        http.post("/registry/register", Json.write(Map.of("node", node))), RegistryNode.class);
  }

  /**
   * Removes a node and everything it announced; a {@link NodeException} with 404 if the registry
   * does not know it.
   */
  public void unregister(String node) {
    Check.notBlank(node, "node");
    http.body(http.request("/registry/register/" + JsonHttp.encode(node)).DELETE().build());
  }

  /**
   * The nodes the registry's cleanup would remove now, those silent for longer than it keeps them:
   * {@code {staleAfter, nodes:[names]}}. Registries without cleanup answer 404.
   */
  public JsonNode cleanupPreview() {
    return http.get("/registry/cleanup", JsonNode.class);
  }

  /** Removes the stale nodes and answers which: {@code {staleAfter, removed:[names]}}. */
  public JsonNode cleanup() {
    return http.send(http.post("/registry/cleanup", ""), JsonNode.class);
  }

  /** The registry's federation peers with how the last exchange with each went. */
  public List<RegistryPeer> peers() {
    return http.get("/registry/peers", new TypeReference<List<RegistryPeer>>() {});
  }

  /**
   * Adds a federation peer, or changes the one of that name, and returns it; the registry starts
   * the first exchange at once. A {@link NodeException} with 400 for a bad name (or the registry's
   * own), URL or role.
   *
   * @param name the peer's registry name (its {@code kodo.registry.name})
   * @param url its base URL; required for a provider or consumer, may be null for a contributor
   * @param role {@code provider}, {@code contributor} or {@code consumer} (see {@link
   *     RegistryPeer#role()})
   */
  public RegistryPeer addPeer(String name, String url, String role) {
    Check.notBlank(name, "peer");
    Check.notBlank(role, "role");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (url != null && !url.isBlank()) {
      body.put("url", url);
    }
    body.put("role", role);
    return http.send(http.post("/registry/peers", Json.write(body)), RegistryPeer.class);
  }

  /**
   * Removes a peer and every node taken in from it; a {@link NodeException} with 404 if the
   * registry does not know it.
   */
  public void removePeer(String name) {
    Check.notBlank(name, "peer");
    http.body(http.request("/registry/peers/" + JsonHttp.encode(name)).DELETE().build());
  }

  /**
   * Exchanges with a peer now (pulls from a provider, pushes to a consumer; nothing for a
   * contributor) and returns it as it is after; a failed exchange is not thrown but {@link
   * RegistryPeer#failed()}. A {@link NodeException} with 404 if the registry does not know it.
   */
  public RegistryPeer syncPeer(String name) {
    Check.notBlank(name, "peer");
    return http.send(
        http.post("/registry/peers/" + JsonHttp.encode(name) + "/sync", ""), RegistryPeer.class);
  }
}
