package dev.kodo.node;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.Json;
import dev.kodo.client.access.Grant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal OIDC issuer of the test's own, standing for "another OIDC provider" (Keycloak-shaped
 * paths): discovery at {@code {issuer}/.well-known/openid-configuration} and its keys at {@code
 * {issuer}/protocol/openid-connect/certs} on a loopback port. It mints RS256 tokens with a test key
 * and can rotate keys out of its JWKS. A node trusts it through properties only ({@link
 * #nodeArguments()}).
 */
final class StrangerIssuer implements AutoCloseable {
  private final HttpServer server;
  private final String issuer;
  private final List<RSAKey> published = new CopyOnWriteArrayList<>();
  private RSAKey current;
  private volatile boolean jwksDown;
  private final List<Grant> grants = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> clientTokens =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  static final String CLIENT_ID = "local-node";
  static final String CLIENT_SECRET = "not-a-real-secret-" + UUID.randomUUID();

  StrangerIssuer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/kodo-test";
    current = newKey();
    published.add(current);
    server.createContext(
        "/realms/kodo-test/.well-known/openid-configuration",
        ex ->
            answer(
                ex,
                Json.write(
                    Map.of(
                        "issuer", issuer,
                        "jwks_uri", jwksUri(),
                        "id_token_signing_alg_values_supported", List.of("RS256")))));
    server.createContext(
        "/realms/kodo-test/protocol/openid-connect/certs",
        ex -> {
          if (jwksDown) {
            status(ex, 503);
            return;
          }
          List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
          for (RSAKey k : published) keys.add(k.toPublicJWK());
          answer(ex, new JWKSet(keys).toString(true));
        });
    // Kodo's provider paths, for a node's client: client credentials, then every grant.
    server.createContext(
        "/realms/kodo-test/oauth2/token",
        ex -> {
          String expected =
              "Basic "
                  + java.util.Base64.getEncoder()
                      .encodeToString(
                          (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
          if (!"POST".equals(ex.getRequestMethod())
              || !expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            status(ex, 401);
            return;
          }
          String token = token("node:local", List.of(), List.of());
          clientTokens.add(token);
          answer(
              ex,
              Json.write(Map.of("access_token", token, "token_type", "Bearer", "expires_in", 300)));
        });
    server.createContext(
        "/realms/kodo-test/grants",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          if (auth == null || !clientTokens.contains(auth.replaceFirst("^Bearer ", ""))) {
            status(ex, 401);
            return;
          }
          List<Map<String, String>> items = new ArrayList<>();
          for (Grant g : grants) {
            items.add(
                Map.of(
                    "id", g.id(),
                    "subject", g.subject(),
                    "resource", g.resource(),
                    "mode", g.mode(),
                    "level", g.level()));
          }
          answer(
              ex,
              Json.write(
                  Map.of(
                      "total",
                      items.size(),
                      "filtered",
                      items.size(),
                      "p",
                      0,
                      "pp",
                      1000,
                      "items",
                      items)));
        });
    server.start();
  }

  String issuer() {
    return issuer;
  }

  String jwksUri() {
    return issuer + "/protocol/openid-connect/certs";
  }

  /** What a node needs to trust this issuer with Kodo's own claim names. */
  List<String> nodeArguments() {
    return List.of(
        "--kodo.auth.enabled=true",
        "--kodo.auth.issuer=" + issuer,
        "--kodo.auth.jwks-uri=" + jwksUri());
  }

  /** {@link #nodeArguments()} and the node's client, which reads {@link #grant grants}. */
  List<String> nodeArgumentsWithGrants() {
    List<String> args = new ArrayList<>(nodeArguments());
    args.add("--kodo.auth.client-id=" + CLIENT_ID);
    args.add("--kodo.auth.client-secret=" + CLIENT_SECRET);
    args.add("--kodo.auth.grants-refresh=100ms");
    return args;
  }

  /** Adds a grant the node reads with its client token. */
  void grant(String subject, String resource, String mode, String level) {
    grants.add(new Grant(UUID.randomUUID().toString(), subject, resource, mode, level));
  }

  /** Removes every grant of {@code subject}. */
  void revoke(String subject) {
    grants.removeIf(g -> g.subject().equals(subject));
  }

  /** Whether the node's client has fetched a token (it reads grants with it). */
  boolean clientTokenIssued() {
    return !clientTokens.isEmpty();
  }

  /** Whether the JWKS answers 503 (the provider is away) instead of the keys. */
  void jwksDown(boolean down) {
    jwksDown = down;
  }

  /** A new signing key; the old one leaves the JWKS (tokens it signed are then refused). */
  synchronized RSAKey rotate() {
    RSAKey old = current;
    current = newKey();
    published.add(current);
    published.remove(old);
    return old;
  }

  /** A valid Kodo-shaped token for {@code subject} with these roles and groups. */
  String token(String subject, List<String> roles, List<String> groups) {
    return sign(claims(subject, roles, groups).build(), current());
  }

  /** The standard claims of a valid token, to change before signing. */
  JWTClaimsSet.Builder claims(String subject, List<String> roles, List<String> groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(List.of("kodo"))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(1)))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .jwtID(UUID.randomUUID().toString())
        .claim("roles", roles)
        .claim("groups", groups);
  }

  synchronized RSAKey current() {
    return current;
  }

  static String sign(JWTClaimsSet claims, RSAKey key) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same claims, unsigned ({@code alg: none}). */
  static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void status(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  private static void answer(HttpExchange ex, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
