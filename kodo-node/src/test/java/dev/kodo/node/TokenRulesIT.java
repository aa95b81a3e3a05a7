package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kodo.client.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tokens on every request (docs/security.md#tokens-on-every-request): a node configured only by
 * properties to trust an external OIDC issuer ({@link StrangerIssuer}) accepts its valid tokens and
 * answers 401 problem+json to every broken one; the settings that cannot work refuse to start.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TokenRulesIT {
  static StrangerIssuer issuer;
  static ConfigurableApplicationContext node;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    issuer = new StrangerIssuer();
    List<String> args = new ArrayList<>(nodeArgs());
    args.addAll(issuer.nodeArguments());
    node = NodeApplication.start(args.toArray(String[]::new));
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  static List<String> nodeArgs() {
    return List.of(
        "--server.port=0",
        "--kodo.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()),
        "--kodo.cluster.name=it-" + UUID.randomUUID(),
        "--kodo.flows=dev.kodo.examples.ResearchSteps");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (issuer != null) issuer.close();
  }

  static HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return NodeTestSupport.send(b.build());
  }

  @Test
  void aValidTokenIsAccepted() {
    assertThat(
            get("/api/state", issuer.token("user:alice", List.of("user"), List.of())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void noTokenIs401WithBearerChallengeAndProblemJson() {
    HttpResponse<String> r = get("/api/state", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
    assertThat(Json.read(r.body()).path("status").asInt()).isEqualTo(401);
  }

  @Test
  void healthIsPublic() {
    assertThat(get("/api/actuator/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void brokenTokensAre401AndNeverEchoed() {
    JWTClaimsSet valid = issuer.claims("user:alice", List.of("operator"), List.of()).build();
    String good = StrangerIssuer.sign(valid, issuer.current());
    String[] parts = good.split("\\.");
    String tampered =
        parts[0]
            + "."
            + parts[1]
            + "."
            + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
            + parts[2].substring(1);
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(valid.toString().replace("user:alice", "user:mallory").getBytes())
            + "."
            + parts[2];
    Instant past = Instant.now().minusSeconds(3600);
    List<String> broken =
        List.of(
            tampered,
            forged,
            StrangerIssuer.unsigned(valid),
            sign(
                b -> b.expirationTime(Date.from(past)).issueTime(Date.from(past.minusSeconds(60)))),
            sign(b -> b.issuer("http://127.0.0.1:1/other")),
            sign(b -> b.audience(List.of("someone-else"))),
            sign(b -> b.expirationTime(null)),
            StrangerIssuer.sign(valid, StrangerIssuer.newKey()),
            "not-a-jwt");
    for (String token : broken) {
      HttpResponse<String> r = get("/api/state", token);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer error=\"invalid_token\"");
      for (String part : token.split("\\.")) {
        if (part.length() >= 8) assertThat(r.body()).doesNotContain(part);
      }
    }
  }

  @Test
  void aKeyRotatedOutOfTheJwksIsRefused() {
    String before = issuer.token("user:alice", List.of("user"), List.of());
    assertThat(get("/api/state", before).statusCode()).isEqualTo(200);
    RSAKey old = issuer.rotate();
    String fresh = issuer.token("user:alice", List.of("user"), List.of());
    assertThat(get("/api/state", fresh).statusCode()).isEqualTo(200);
    String byOld =
        StrangerIssuer.sign(issuer.claims("user:alice", List.of("user"), List.of()).build(), old);
    assertThat(get("/api/state", byOld).statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenThatCannotBeCheckedWhileTheJwksIsDownIs503NotA500() {
    issuer.jwksDown(true);
    try {
      issuer.rotate(); // a key id the node has not fetched: it must ask the JWKS
      HttpResponse<String> r =
          get("/api/state", issuer.token("user:alice", List.of("user"), List.of()));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
      assertThat(Json.read(r.body()).path("detail").asString()).contains("auth provider");
    } finally {
      issuer.jwksDown(false);
    }
    assertThat(
            get("/api/state", issuer.token("user:alice", List.of("user"), List.of())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void noAuthOnANonLoopbackAddressRefusesToStart() {
    List<String> args = new ArrayList<>(nodeArgs());
    args.add("--kodo.auth.enabled=false");
    args.add("--server.address=0.0.0.0");
    assertThatThrownBy(() -> NodeApplication.start(args.toArray(String[]::new)).close())
        .hasStackTraceContaining("--no-auth")
        .hasStackTraceContaining("loopback");
  }

  @Test
  void authWithoutAnIssuerRefusesToStart() {
    List<String> args = new ArrayList<>(nodeArgs());
    args.add("--kodo.auth.enabled=true");
    assertThatThrownBy(() -> NodeApplication.start(args.toArray(String[]::new)).close())
        .hasStackTraceContaining("kodo.auth.issuer")
        .hasStackTraceContaining("--no-auth");
  }

  private static String sign(java.util.function.UnaryOperator<JWTClaimsSet.Builder> change) {
    return StrangerIssuer.sign(
        change.apply(issuer.claims("user:alice", List.of("user"), List.of())).build(),
        issuer.current());
  }
}
