package dev.kodo.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OAuth2 issuer on a loopback port for the registry's auth tests, standing in for Kodo's
 * provider (or any other): a test RSA key served as JWKS at {@code {issuer}/oauth2/jwks}, access
 * tokens minted in the test ({@link #token}), and client credentials at {@code
 * {issuer}/oauth2/token} for the clients a test adds ({@link #client}), whose tokens have subject
 * {@code node:{client_id}} and no roles, as the provider's node clients. The registry trusts it by
 * properties only ({@link #properties}).
 */
final class RegistryTestIssuer implements AutoCloseable {
  private final RSAKey key;
  private final HttpServer server;
  private final String issuer;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final AtomicInteger issued = new AtomicInteger();

  RegistryTestIssuer() throws IOException, JOSEException {
    key =
        new RSAKeyGenerator(2048)
            .keyID("reg-test-" + UUID.randomUUID())
            .keyUse(KeyUse.SIGNATURE)
            .generate();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/auth";
    server.createContext(
        "/auth/oauth2/jwks", x -> answer(x, 200, new JWKSet(key.toPublicJWK()).toString(true)));
    server.createContext("/auth/oauth2/token", this::tokenEndpoint);
    server.start();
  }

  /** The issuer URL tokens carry ({@code iss}). */
  String issuer() {
    return issuer;
  }

  /** How many tokens the token endpoint issued to clients. */
  int issued() {
    return issued.get();
  }

  /** The Spring arguments that make a registry trust this issuer (auth on). */
  String[] properties() {
    return new String[] {"--kodo.auth.enabled=true", "--kodo.auth.issuer=" + issuer};
  }

  /** Adds a client for the token endpoint: its tokens are {@code node:{id}}'s. */
  void client(String id, String secret) {
    secrets.put(id, secret);
  }

  /** An access token for {@code subject} with these roles, valid for 10 minutes. */
  String token(String subject, String... roles) {
    return token(subject, Duration.ofMinutes(10), roles);
  }

  String token(String subject, Duration life, String... roles) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .audience(List.of("kodo"))
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plus(life)))
            .jwtID(UUID.randomUUID().toString())
            .claim("roles", List.of(roles))
            .claim("groups", List.of())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private void tokenEndpoint(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String auth = x.getRequestHeaders().getFirst("Authorization");
    if (!"POST".equals(x.getRequestMethod())
        || !body.contains("grant_type=client_credentials")
        || auth == null
        || !auth.startsWith("Basic ")) {
      answer(x, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    String[] pair =
        new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8)
            .split(":", 2);
    String id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
    String secret = pair.length < 2 ? "" : URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
    if (!secret.equals(secrets.get(id))) {
      answer(x, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    issued.incrementAndGet();
    answer(
        x,
        200,
        "{\"access_token\":\""
            + token("node:" + id)
            + "\",\"token_type\":\"Bearer\",\"expires_in\":600}");
  }

  private static void answer(HttpExchange x, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
