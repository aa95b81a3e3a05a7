package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of tokens against a loopback stand-in for a node with its auth provider: the
 * bearer token sent, a 401 said as missing, expired or refused with what to do, and an expired
 * stored token renewed through {@code POST /auth/refresh} (which rotates the refresh token, as the
 * provider does) and saved back.
 */
class TokenRefreshTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private HttpServer server;
  private String url;
  private final AtomicInteger generation = new AtomicInteger(1);
  private final AtomicInteger refreshes = new AtomicInteger();
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean refuseRefresh;

  @TempDir Path dir;
  private CredentialStore store;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/state", this::state);
    server.createContext("/api/runs/f1/stream", this::state);
    server.createContext("/auth/refresh", this::refresh);
    server.createContext("/auth/login", this::login);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
    store = CredentialStore.in(dir.resolve("kodo"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void state(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "none" : auth);
    String current = "Bearer access-" + generation.get();
    if (current.equals(auth)) {
      answer(ex, 200, "{\"node\":\"local\"}");
    } else if (auth != null && auth.startsWith("Bearer access-")) {
      ex.getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer error=\"invalid_token\", error_description=\"Jwt expired at 2026-12-05\"");
      answer(ex, 401, problem("Unauthorized", "the token has expired"));
    } else {
      ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
      answer(ex, 401, problem("Unauthorized", "a valid bearer token is required"));
    }
  }

  private void refresh(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String given = Json.read(body).path("refresh_token").asString("");
    if (refuseRefresh || !given.equals("refresh-" + generation.get())) {
      answer(ex, 401, problem("Unauthorized", "unknown or expired refresh token"));
      return;
    }
    refreshes.incrementAndGet();
    int next = generation.incrementAndGet();
    answer(ex, 200, tokens(next));
  }

  private void login(HttpExchange ex) throws IOException {
    authorizations.add(
        "login " + (ex.getRequestHeaders().containsKey("Authorization") ? "with" : "without"));
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (Json.read(body).path("password").asString("").equals("right")) {
      answer(ex, 200, tokens(generation.get()));
    } else {
      answer(ex, 401, problem("Unauthorized", "wrong username or password"));
    }
  }

  private static String tokens(int generation) {
    return "{\"access_token\":\"access-"
        + generation
        + "\",\"token_type\":\"Bearer\",\"expires_in\":900,\"refresh_token\":\"refresh-"
        + generation
        + "\"}";
  }

  private static String problem(String title, String detail) {
    return "{\"title\":\"" + title + "\",\"status\":401,\"detail\":\"" + detail + "\"}";
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders()
        .add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private NodeClient node(Instant now) {
    return NodeClient.connect(
        url, StoredTokenSupplier.of(store, url, Clock.fixed(now, ZoneOffset.UTC)));
  }

  @Test
  void withoutATokenTheMessageSaysThereIsNoneAndHowToLogIn() {
    NotAuthenticatedException e =
        catchThrowableOfType(NotAuthenticatedException.class, () -> node(NOW).state());
    assertThat(e.reason()).isEqualTo(NotAuthenticatedException.Reason.MISSING);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("the node at " + url + " needs a token, and there is none for it")
        .contains("koco login --url " + url);
    assertThat(authorizations).containsExactly("none");
  }

  @Test
  void theStoredTokenIsSentAsABearerToken() {
    store.save(
        url,
        new StoredToken("access-1", "refresh-1", NOW.plusSeconds(600), "user:alice", false, null));
    assertThat(node(NOW).state().path("node").asString()).isEqualTo("local");
    assertThat(authorizations).containsExactly("Bearer access-1");
  }

  @Test
  void anExpiredStoredTokenIsRefreshedBeforeItIsSentAndTheNewPairSaved() {
    store.save(
        url,
        new StoredToken("access-1", "refresh-1", NOW.minusSeconds(5), "user:alice", false, null));
    generation.set(1);

    assertThat(node(NOW).state().path("node").asString()).isEqualTo("local");

    assertThat(refreshes).hasValue(1);
    assertThat(authorizations).containsExactly("Bearer access-2");
    StoredToken saved =
        store.find("http://localhost:" + server.getAddress().getPort()).orElseThrow();
    assertThat(saved.accessToken()).isEqualTo("access-2");
    assertThat(saved.refreshToken()).isEqualTo("refresh-2");
    assertThat(saved.subject()).isEqualTo("user:alice");
    assertThat(saved.expiresAt()).isEqualTo(NOW.plusSeconds(900));
  }

  @Test
  void aTokenTheNodeRefusesAsExpiredIsRefreshedAndTheCallMadeAgain() {
    // The local clock thinks access-1 is still valid; the node (whose clock rules) wants access-2.
    store.save(
        url,
        new StoredToken("access-1", "refresh-2", NOW.plusSeconds(600), "user:alice", false, null));
    generation.set(2);

    assertThat(node(NOW).state().path("node").asString()).isEqualTo("local");

    assertThat(authorizations).containsExactly("Bearer access-1", "Bearer access-3");
    assertThat(store.find(url).orElseThrow().accessToken()).isEqualTo("access-3");
    assertThat(store.find(url).orElseThrow().refreshToken()).isEqualTo("refresh-3");
  }

  @Test
  void anExpiredTokenWhoseRefreshIsRefusedSaysSoAndHowToLogInAgain() {
    store.save(
        url,
        new StoredToken("access-1", "refresh-1", NOW.minusSeconds(60), "user:alice", false, null));
    generation.set(2);
    refuseRefresh = true;

    NotAuthenticatedException e =
        catchThrowableOfType(NotAuthenticatedException.class, () -> node(NOW).state());

    assertThat(e.reason()).isEqualTo(NotAuthenticatedException.Reason.EXPIRED);
    assertThat(e.getMessage())
        .contains("the token `koco login` stored for user:alice for " + url + " has expired")
        .contains(
            "could not be renewed (the auth provider at " + url + " refused its refresh token)")
        .contains("log in again with `koco login --url " + url + "`")
        .doesNotContain("access-1")
        .doesNotContain("refresh-1");
  }

  @Test
  void aTokenRefusedForAnotherReasonSaysItWasRefused() {
    store.save(url, StoredToken.of("forged", NOW.plusSeconds(600), "user:alice"));

    NotAuthenticatedException e =
        catchThrowableOfType(NotAuthenticatedException.class, () -> node(NOW).state());

    assertThat(e.reason()).isEqualTo(NotAuthenticatedException.Reason.REFUSED);
    assertThat(e.getMessage())
        .contains("the node at " + url + " refused the token `koco login` stored for user:alice")
        .contains("(a valid bearer token is required)")
        .contains("; renewing it failed: it has no refresh token")
        .contains("; it may have been revoked or issued by another auth provider: log in again")
        .contains("koco login --url " + url)
        .doesNotContain("forged");
  }

  @Test
  void theLocalOperatorsTokenSaysWhereItCameFrom() {
    store.save(url, StoredToken.of("stale-local", NOW.plusSeconds(600), "user:admin").asLocal());
    NotAuthenticatedException e =
        catchThrowableOfType(NotAuthenticatedException.class, () -> node(NOW).state());
    assertThat(e.getMessage())
        .contains("the local operator's token (written by `koco serve`)")
        .contains("restart `koco serve`");
  }

  @Test
  void aGivenTokenWinsAndARefusalSaysToGiveAValidOne() {
    NodeClient node =
        NodeClient.connect(url, TokenSupplier.fixed("access-1", "the token in $KODO_TOKEN"));
    assertThat(node.state().path("node").asString()).isEqualTo("local");
    generation.set(5);
    NotAuthenticatedException e =
        catchThrowableOfType(NotAuthenticatedException.class, node::state);
    assertThat(e.reason()).isEqualTo(NotAuthenticatedException.Reason.EXPIRED);
    assertThat(e.getMessage())
        .contains("the token in $KODO_TOKEN for " + url + " has expired")
        .contains("give a valid token, or unset it and log in with `koco login --url " + url + "`");
    assertThat(authorizations).containsExactly("Bearer access-1", "Bearer access-1");
  }

  @Test
  void theStreamSaysSoToo() {
    NotAuthenticatedException e =
        catchThrowableOfType(
            NotAuthenticatedException.class, () -> node(NOW).stream("f1", 0, event -> {}));
    assertThat(e.reason()).isEqualTo(NotAuthenticatedException.Reason.MISSING);
  }

  @Test
  void aWrongPasswordAtLoginIsTheProvidersOwn401AndNoTokenIsSent() {
    store.save(url, StoredToken.of("access-1", NOW.plusSeconds(600), "user:alice"));
    AuthClient auth = AuthClient.connect(url, StoredTokenSupplier.of(store, url));

    NodeException wrong =
        catchThrowableOfType(NodeException.class, () -> auth.login("alice", "wrong"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.getMessage()).contains("wrong username or password").doesNotContain("wrong\"");

    AuthClient.Tokens tokens = auth.login("alice", "right");
    assertThat(tokens.accessToken()).isEqualTo("access-1");
    assertThat(tokens.expiresIn()).isEqualTo(900);
    assertThat(tokens.toString()).doesNotContain("access-1").doesNotContain("refresh-1");
    assertThat(authorizations).containsExactly("login without", "login without");
  }
}
