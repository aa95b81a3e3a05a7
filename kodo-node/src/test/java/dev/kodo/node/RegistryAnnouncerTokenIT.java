package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.registry.RegistryApplication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node announces itself to a remote registry that has auth on with its own client token
 * (docs/security.md#registry-reads-nodes-and-peers): it fetches the token with client credentials
 * ({@code kodo.auth.client-id}/{@code client-secret}) and is connected; a node whose client is
 * another node's is refused (403) and says why in {@code /api/state}; a node without a client is
 * told it needs one (401). The registry trusts the test's issuer ({@link StrangerIssuer}) by
 * properties only; a loopback token endpoint of this test hands out its client tokens.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryAnnouncerTokenIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;

  @Test
  void aNodeAnnouncesWithItsOwnTokenAndNeverAsAnother() throws Exception {
    Map<String, String> secrets =
        new ConcurrentHashMap<>(Map.of("alpha", "a-secret", "beta", "b-secret"));
    try (StrangerIssuer issuer = new StrangerIssuer();
        AnnouncerTokenEndpoint tokens = new AnnouncerTokenEndpoint(issuer, secrets);
        ConfigurableApplicationContext registry =
            RegistryApplication.start(
                "--server.port=0",
                "--kodo.registry.data=" + tmp.resolve("registry"),
                "--kodo.registry.probe-interval=0",
                "--kodo.auth.enabled=true",
                "--kodo.auth.issuer=" + issuer.issuer(),
                "--kodo.auth.jwks-uri=" + issuer.jwksUri())) {
      String reg = "http://127.0.0.1:" + registry.getEnvironment().getProperty("local.server.port");
      String operator = issuer.token("user:root", List.of("operator"), List.of());
      for (String n : List.of("alpha", "gamma", "delta")) {
        HttpResponse<String> r =
            send(reg, "POST", "/registry/register", "{\"node\":\"" + n + "\"}", operator);
        assertEquals(201, r.statusCode(), r.body());
      }
      try (ConfigurableApplicationContext alpha =
              node("alpha", reg, tokens.base(), "alpha", "a-secret");
          ConfigurableApplicationContext gamma =
              node("gamma", reg, tokens.base(), "beta", "b-secret");
          ConfigurableApplicationContext delta = node("delta", reg, tokens.base(), null, null)) {
        JsonNode connected =
            await(
                "alpha connected with its own token",
                () -> {
                  JsonNode l = registryOf(alpha);
                  return l.path("connected").asBoolean() && !l.path("lastHeartbeat").isNull()
                      ? l
                      : null;
                });
        assertTrue(connected.path("lastError").isNull(), connected.toString());
        JsonNode seen =
            JSON.readTree(send(reg, "GET", "/registry/nodes/alpha", null, operator).body());
        assertTrue(seen.path("online").asBoolean(), seen.toString());

        JsonNode refused =
            await(
                "gamma refused: its token is beta's",
                () -> {
                  JsonNode l = registryOf(gamma);
                  return l.path("lastError").asString("").contains("403") ? l : null;
                });
        assertFalse(refused.path("connected").asBoolean());
        assertTrue(
            refused
                .path("lastError")
                .asString()
                .contains("cannot announce or silence another node"),
            refused.toString());
        JsonNode notGamma =
            JSON.readTree(send(reg, "GET", "/registry/nodes/gamma", null, operator).body());
        assertFalse(notGamma.path("connected").asBoolean(), notGamma.toString());

        JsonNode anonymous =
            await(
                "delta without a client is told it needs one",
                () -> {
                  JsonNode l = registryOf(delta);
                  return l.path("lastError").asString("").contains("401") ? l : null;
                });
        assertTrue(
            anonymous.path("lastError").asString().contains("kodo.auth.client-id"),
            anonymous.toString());
      }
      // alpha said goodbye with its token: offline at once
      JsonNode gone =
          JSON.readTree(send(reg, "GET", "/registry/nodes/alpha", null, operator).body());
      assertFalse(gone.path("online").asBoolean(), gone.toString());
      assertFalse(gone.path("connected").asBoolean(), gone.toString());
    }
  }

  private ConfigurableApplicationContext node(
      String name, String registry, String issuer, String clientId, String secret) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--server.port=0",
                "--kodo.data=" + tmp.resolve(name),
                "--kodo.cluster.name=it-" + UUID.randomUUID(),
                "--kodo.node.name=" + name,
                "--kodo.registries=" + registry,
                "--kodo.registry-heartbeat=1s",
                "--kodo.registry-retry-max=1s",
                "--kodo.flows=classpath:*",
                // the node's own auth stays off (the test's application.properties); the issuer
                // is only where its client credentials are exchanged
                "--kodo.auth.issuer=" + issuer));
    if (clientId != null) {
      args.add("--kodo.auth.client-id=" + clientId);
      args.add("--kodo.auth.client-secret=" + secret);
    }
    return NodeApplication.start(args.toArray(String[]::new));
  }

  private static JsonNode registryOf(ConfigurableApplicationContext node) {
    String base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    JsonNode s = JSON.readTree(NodeTestSupport.get(base, "/api/state").body());
    return s.path("registries").get(0);
  }

  private static HttpResponse<String> send(
      String base, String method, String path, String body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token);
    if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
    else
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    return NodeTestSupport.send(b.build());
  }

  /**
   * Client credentials on loopback ({@code {base}/oauth2/token}): a client's token is {@code
   * node:{client_id}}'s, signed by the issuer the registry trusts.
   */
  private static final class AnnouncerTokenEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final String base;

    AnnouncerTokenEndpoint(StrangerIssuer issuer, Map<String, String> secrets) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      base = "http://127.0.0.1:" + server.getAddress().getPort() + "/clients";
      server.createContext(
          "/clients/oauth2/token",
          ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String[] pair =
                auth == null || !auth.startsWith("Basic ")
                    ? new String[] {"", ""}
                    : new String(
                            Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8)
                        .split(":", 2);
            String id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            String secret =
                pair.length < 2 ? "" : URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
            if (!secret.equals(secrets.get(id))) {
              answer(ex, 401, "{\"error\":\"invalid_client\"}");
              return;
            }
            answer(
                ex,
                200,
                "{\"access_token\":\""
                    + issuer.token("node:" + id, List.of(), List.of())
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
          });
      server.start();
    }

    String base() {
      return base;
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
