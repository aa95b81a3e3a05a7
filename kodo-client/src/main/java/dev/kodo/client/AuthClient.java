package dev.kodo.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kodo.client.access.Grant;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A client of an auth provider's {@code /auth/*} endpoints (docs/http-api.md#auth,
 * docs/security.md): log in and refresh, who the token is for, and the operator's management of
 * users, groups, grants and OAuth2 clients. {@code koco serve} hosts the provider on the node's own
 * port; {@code koco auth} runs it alone. Errors are those of {@link NodeClient}: a {@link
 * NodeException} with the provider's problem document (401 for a wrong password at login, 403 for a
 * caller who is no operator, 404, 429 when logins are throttled), a {@link
 * NotAuthenticatedException} when a call needs a token it lacks. Nothing this class throws or
 * prints holds a password, token or client secret. Thread-safe.
 *
 * <pre>{@code
 * AuthClient auth = AuthClient.connect("http://127.0.0.1:3370");
 * AuthClient.Tokens tokens = auth.login("alice", password);
 * AuthClient me = AuthClient.connect(url, TokenSupplier.fixed(tokens.accessToken(), "alice's"));
 * me.addGrant("user:bob", "flow://local/dev.kodo.examples.*", "x", "basic");
 * }</pre>
 */
public final class AuthClient {
  private final JsonHttp http;

  private AuthClient(JsonHttp http) {
    this.http = http;
  }

  /** A client without a token: enough for {@link #login} and {@link #refresh}. */
  public static AuthClient connect(String url) {
    return connect(url, TokenSupplier.none());
  }

  /** A client that sends the tokens {@code tokens} gives. */
  public static AuthClient connect(String url, TokenSupplier tokens) {
    return new AuthClient(
        JsonHttp.connect(
            url, "auth provider", "is `koco serve` or `koco auth` running there?", tokens));
  }

  public URI url() {
    return http.base();
  }

  /**
   * What {@code POST /auth/login} and {@code /auth/refresh} answer. {@link #toString()} shows no
   * token.
   */
  public record Tokens(
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") long expiresIn,
      @JsonProperty("refresh_token") String refreshToken) {

    /** As kept in the {@link CredentialStore}: expiring {@code expires_in} after {@code now}. */
    public StoredToken toStored(String subject, Instant now, boolean local, String authUrl) {
      Instant expires = expiresIn > 0 ? now.plusSeconds(expiresIn) : null;
      return new StoredToken(accessToken, refreshToken, expires, subject, local, authUrl);
    }

    @Override
    public String toString() {
      return "Tokens[type=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
  }

  /** Who a token is for: {@code GET /auth/me}. */
  public record Me(String subject, List<String> roles, List<String> groups) {
    public Me {
      roles = roles == null ? List.of() : List.copyOf(roles);
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  /** A user as the provider lists it (never with its password). */
  public record User(String username, List<String> roles, List<String> groups) {
    public User {
      roles = roles == null ? List.of() : List.copyOf(roles);
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  /** A group and its members. */
  public record Group(String name, List<String> members) {
    public Group {
      members = members == null ? List.of() : List.copyOf(members);
    }
  }

  /** An OAuth2 client of a node or worker, as listed (never with its secret). */
  public record Client(
      @JsonProperty("client_id") String clientId, String kind, String node, String subject) {}

  /**
   * A client just created: its secret, which the provider shows this once. {@link #toString()} does
   * not show it.
   */
  public record NewClient(
      @JsonProperty("client_id") String clientId,
      @JsonProperty("client_secret") String clientSecret) {
    @Override
    public String toString() {
      return "NewClient[clientId=" + clientId + "]";
    }
  }

  /** {@code POST /auth/check}'s answer. */
  public record Decision(boolean allowed, String level) {}

  // --- tokens -------------------------------------------------------------------------------

  /**
   * Logs in: a new access and refresh token. A {@link NodeException} with 401 for a wrong user or
   * password (the same for both), 429 when throttled.
   */
  public Tokens login(String username, String password) {
    Check.notBlank(username, "username");
    Check.notNull(password, "password");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("password", password);
    return http.read(http.body(http.post("/auth/login", Json.write(body)), false), Tokens.class);
  }

  /** A new pair for a refresh token (which is then used up); 401 if unknown or expired. */
  public Tokens refresh(String refreshToken) {
    Check.notBlank(refreshToken, "refresh token");
    return http.read(
        http.body(
            http.post("/auth/refresh", Json.write(Map.of("refresh_token", refreshToken))), false),
        Tokens.class);
  }

  /** Whose the token is, with its roles and groups. */
  public Me me() {
    return http.get("/auth/me", Me.class);
  }

  // --- users --------------------------------------------------------------------------------

  public User addUser(String username, String password, List<String> roles, List<String> groups) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", Check.notBlank(username, "username"));
    body.put("password", Check.notNull(password, "password"));
    body.put("roles", roles == null ? List.of() : roles);
    body.put("groups", groups == null ? List.of() : groups);
    return http.send(http.post("/auth/users", Json.write(body)), User.class);
  }

  public Page<User> users() {
    return http.get("/auth/users?pp=1000", new TypeReference<Page<User>>() {});
  }

  public User user(String username) {
    return http.get(userPath(username), User.class);
  }

  /** Replaces a user's roles and groups ({@code PUT /auth/users/{username}}). */
  public User updateUser(String username, List<String> roles, List<String> groups) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("roles", Check.notNull(roles, "roles"));
    body.put("groups", Check.notNull(groups, "groups"));
    return http.send(put(userPath(username), body), User.class);
  }

  public void removeUser(String username) {
    http.body(http.request(userPath(username)).DELETE().build());
  }

  /**
   * Changes a password: a user its own with {@code old}; an operator anyone's with {@code old}
   * null.
   */
  public void changePassword(String username, String old, String password) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (old != null) body.put("old", old);
    body.put("new", Check.notNull(password, "password"));
    http.body(put(userPath(username) + "/password", body));
  }

  // --- groups -------------------------------------------------------------------------------

  public Group addGroup(String name, List<String> members) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", Check.notBlank(name, "group"));
    body.put("members", members == null ? List.of() : members);
    return http.send(http.post("/auth/groups", Json.write(body)), Group.class);
  }

  public Page<Group> groups() {
    return http.get("/auth/groups?pp=1000", new TypeReference<Page<Group>>() {});
  }

  public Group group(String name) {
    return http.get(groupPath(name), Group.class);
  }

  /** Replaces a group's members ({@code PUT /auth/groups/{name}}). */
  public Group updateGroup(String name, List<String> members) {
    return http.send(
        put(groupPath(name), Map.of("members", Check.notNull(members, "members"))), Group.class);
  }

  public void removeGroup(String name) {
    http.body(http.request(groupPath(name)).DELETE().build());
  }

  // --- grants -------------------------------------------------------------------------------

  /**
   * Grants {@code subject} {@code mode} ({@code r}/{@code x}) on {@code resource} at {@code level}.
   */
  public Grant addGrant(String subject, String resource, String mode, String level) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", Check.notBlank(subject, "subject"));
    body.put("resource", Check.notBlank(resource, "resource"));
    body.put("mode", Check.notBlank(mode, "mode"));
    if (level != null) body.put("level", level);
    return http.send(http.post("/auth/grants", Json.write(body)), Grant.class);
  }

  /** The grants, of {@code subject} and on {@code resource} when they are not null. */
  public Page<Grant> grants(String subject, String resource) {
    StringJoiner q = new StringJoiner("&", "?", "");
    q.add("pp=1000");
    if (subject != null && !subject.isBlank()) q.add("subject=" + JsonHttp.encode(subject));
    if (resource != null && !resource.isBlank()) q.add("resource=" + JsonHttp.encode(resource));
    return http.get("/auth/grants" + q, new TypeReference<Page<Grant>>() {});
  }

  public void removeGrant(String id) {
    http.body(
        http.request("/auth/grants/" + JsonHttp.encode(Check.notBlank(id, "id"))).DELETE().build());
  }

  /** Whether {@code subject} may do {@code action} ({@code r}/{@code x}) on {@code resource}. */
  public Decision check(String subject, String resource, String action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", subject);
    body.put("resource", resource);
    body.put("action", action);
    return http.send(http.post("/auth/check", Json.write(body)), Decision.class);
  }

  // --- clients ------------------------------------------------------------------------------

  /**
   * Creates the OAuth2 client of a node or worker ({@code kind} {@code node}/{@code worker}); the
   * answer holds its secret, which the provider never shows again.
   */
  public NewClient addClient(String clientId, String kind, String node) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("client_id", Check.notBlank(clientId, "client id"));
    body.put("kind", Check.notBlank(kind, "kind"));
    if (node != null && !node.isBlank()) body.put("node", node);
    return http.send(http.post("/auth/clients", Json.write(body)), NewClient.class);
  }

  public Page<Client> clients() {
    return http.get("/auth/clients?pp=1000", new TypeReference<Page<Client>>() {});
  }

  public void removeClient(String clientId) {
    http.body(
        http.request("/auth/clients/" + JsonHttp.encode(Check.notBlank(clientId, "client id")))
            .DELETE()
            .build());
  }

  /** Rotates the provider's signing key ({@code POST /auth/keys/rotate}); its answer. */
  public JsonNode rotateKey() {
    return http.send(http.post("/auth/keys/rotate", ""), JsonNode.class);
  }

  private java.net.http.HttpRequest put(String path, Object body) {
    return http.request(path)
        .header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .build();
  }

  private static String userPath(String username) {
    return "/auth/users/" + JsonHttp.encode(Check.notBlank(username, "username"));
  }

  private static String groupPath(String name) {
    return "/auth/groups/" + JsonHttp.encode(Check.notBlank(name, "group"));
  }
}
