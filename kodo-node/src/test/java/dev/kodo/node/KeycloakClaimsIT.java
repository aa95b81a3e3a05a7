package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kodo.client.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another OIDC provider's tokens, Keycloak-shaped (a UUID in {@code sub}, the name in {@code
 * preferred_username}, roles in {@code realm_access.roles}, groups as paths), mapped by properties
 * only — the example of docs/security.md#another-oidc-provider-keycloak.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KeycloakClaimsIT {
  static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  static StrangerIssuer issuer;
  static ConfigurableApplicationContext node;
  static AuthHttp http;

  @BeforeAll
  static void start() throws Exception {
    issuer = new StrangerIssuer();
    issuer.grant("group:research", "flow://local/" + RESEARCH, "x", "advanced");
    List<String> args = new ArrayList<>(TokenRulesIT.nodeArgs());
    args.addAll(issuer.nodeArgumentsWithGrants());
    args.add("--kodo.auth.claims.subject=preferred_username");
    args.add("--kodo.auth.claims.subject-prefix=user:");
    args.add("--kodo.auth.claims.roles=realm_access.roles");
    args.add("--kodo.auth.claims.groups=groups");
    args.add("--kodo.auth.role-map.kodo-admin=operator");
    args.add("--kodo.auth.role-map.kodo-dev=developer");
    node = NodeApplication.start(args.toArray(String[]::new));
    http =
        new AuthHttp("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (issuer != null) issuer.close();
  }

  static String keycloak(String username, List<String> roles, List<String> groups) {
    JWTClaimsSet claims =
        issuer
            .claims(
                "2b7c1f0e-6d0a-4c55-9d1e-" + Math.abs(username.hashCode()), List.of(), List.of())
            .claim("roles", null)
            .claim("preferred_username", username)
            .claim("realm_access", Map.of("roles", roles))
            .claim("groups", groups)
            .claim("azp", "kodo-cli")
            .build();
    return StrangerIssuer.sign(claims, issuer.current());
  }

  @Test
  void aMappedRoleMakesAnOperator() {
    String admin = keycloak("root", List.of("kodo-admin", "offline_access"), List.of());
    assertThat(http.get("/api/cleanup", admin).statusCode()).isEqualTo(200);
    String dev = keycloak("dana", List.of("kodo-dev", "uma_authorization"), List.of());
    assertThat(http.get("/api/cleanup", dev).statusCode()).isEqualTo(403);
  }

  @Test
  void theUsernameIsTheSubjectAndGroupPathsAreGroups() throws Exception {
    String bob = keycloak("bob", List.of("offline_access"), List.of("/research"));
    String fid = http.launch(bob, RESEARCH, "{\"topic\":\"keycloak\",\"steps\":1,\"pause\":0}");
    var doc = http.await(fid, bob, AuthHttp::finished);
    assertThat(doc.path("shares").get(0).path("subject").asString()).isEqualTo("user:bob");
    assertThat(doc.path("shares").get(0).path("level").asString()).isEqualTo("advanced");
    String carol = keycloak("carol", List.of(), List.of("/research"));
    assertThat(http.get("/api/runs/" + fid, carol).statusCode()).isEqualTo(404);
    assertThat(Json.read(http.get("/api/flows", carol).body()).path("total").asLong()).isEqualTo(1);
    String stranger = keycloak("eve", List.of(), List.of("/elsewhere"));
    assertThat(Json.read(http.get("/api/flows", stranger).body()).path("total").asLong()).isZero();
  }
}
