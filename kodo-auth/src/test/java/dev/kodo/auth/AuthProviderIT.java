package dev.kodo.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kodo.auth.ProviderFixture.Answer;
import dev.kodo.client.access.Grant;
import dev.kodo.web.security.GrantSource;
import dev.kodo.web.security.LocalIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The auth provider over real HTTP on loopback with its SQLite store
 * (docs/security.md#auth-provider): login, refresh, me, the management endpoints with their codes,
 * client credentials through Spring Authorization Server, discovery and JWKS. One provider serves
 * every test; each test uses its own names.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthProviderIT {
  static final String ADMIN_PASSWORD = "admin-password-for-tests";

  @TempDir static Path data;
  static ProviderFixture provider;
  static String admin;

  @BeforeAll
  static void start() {
    provider =
        new ProviderFixture(
            data,
            "--kodo.auth.provider.admin-password=" + ADMIN_PASSWORD,
            "--kodo.auth.provider.login.max-failures-per-user=3",
            "--kodo.auth.provider.login.max-failures-per-address=1000");
    admin = provider.login("admin", ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (provider != null) provider.close();
  }

  // ---- login, refresh, me ----

  @Test
  void loginGivesASignedTokenWithTheUsersClaims() throws Exception {
    Answer a =
        provider.post(
            "/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
    assertThat(a.status()).isEqualTo(200);
    JsonNode body = a.json();
    assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(900);
    assertThat(body.get("refresh_token").asString()).isNotBlank();
    JWTClaimsSet claims = verified(body.get("access_token").asString());
    assertThat(claims.getIssuer()).isEqualTo(provider.url + "/auth");
    assertThat(claims.getSubject()).isEqualTo("user:admin");
    assertThat(claims.getAudience()).containsExactly("kodo");
    assertThat(claims.getStringListClaim("roles")).containsExactly("operator");
    assertThat(claims.getStringListClaim("groups")).isEmpty();
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getExpirationTime()).isAfter(new Date());
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSame401() {
    Answer wrong =
        provider.post("/auth/login", null, "{\"username\":\"admin\",\"password\":\"nope-nope\"}");
    Answer unknown =
        provider.post("/auth/login", null, "{\"username\":\"nobody\",\"password\":\"nope-nope\"}");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.json().get("detail")).isEqualTo(unknown.json().get("detail"));
    assertThat(wrong.text()).doesNotContain("nope-nope");
  }

  @Test
  void aLoginWithoutPasswordIs400NamingTheField() {
    Answer a = provider.post("/auth/login", null, "{\"username\":\"admin\"}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
  }

  @Test
  void repeatedFailuresForOneUserAreThrottledWith429AndRetryAfter() {
    createUser("throttled", "right-password", "[]", "[]");
    for (int i = 0; i < 3; i++) {
      assertThat(
              provider
                  .post(
                      "/auth/login",
                      null,
                      "{\"username\":\"throttled\",\"password\":\"wrong-one\"}")
                  .status())
          .isEqualTo(401);
    }
    Answer a =
        provider.post(
            "/auth/login", null, "{\"username\":\"throttled\",\"password\":\"right-password\"}");
    assertThat(a.status()).isEqualTo(429);
    assertThat(Long.parseLong(a.header("Retry-After"))).isPositive();
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    // another user from the same address is not affected
    assertThat(provider.login("admin", ADMIN_PASSWORD)).isNotBlank();
  }

  @Test
  void refreshRotatesTheRefreshToken() throws Exception {
    createUser("refresher", "refresher-password", "[\"developer\"]", "[\"team-r\"]");
    Answer login =
        provider.post(
            "/auth/login",
            null,
            "{\"username\":\"refresher\",\"password\":\"refresher-password\"}");
    String refresh = login.json().get("refresh_token").asString();
    Answer again = provider.post("/auth/refresh", null, "{\"refresh_token\":\"" + refresh + "\"}");
    assertThat(again.status()).isEqualTo(200);
    JWTClaimsSet claims = verified(again.json().get("access_token").asString());
    assertThat(claims.getSubject()).isEqualTo("user:refresher");
    assertThat(claims.getStringListClaim("roles")).containsExactly("developer");
    assertThat(claims.getStringListClaim("groups")).containsExactly("team-r");
    assertThat(again.json().get("refresh_token").asString()).isNotEqualTo(refresh);
    // a refresh token is used once
    Answer reused = provider.post("/auth/refresh", null, "{\"refresh_token\":\"" + refresh + "\"}");
    assertThat(reused.status()).isEqualTo(401);
    assertThat(provider.post("/auth/refresh", null, "{\"refresh_token\":\"made-up\"}").status())
        .isEqualTo(401);
  }

  @Test
  void meSaysWhoTheTokenIsFor() {
    createUser("meuser", "meuser-password", "[\"user\"]", "[\"team-m\"]");
    String token = provider.login("meuser", "meuser-password");
    Answer a = provider.get("/auth/me", token);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("subject").asString()).isEqualTo("user:meuser");
    assertThat(a.json().get("roles").get(0).asString()).isEqualTo("user");
    assertThat(a.json().get("groups").get(0).asString()).isEqualTo("team-m");
    assertThat(provider.get("/auth/me", null).status()).isEqualTo(401);
    assertThat(provider.get("/auth/me", token + "x").status()).isEqualTo(401);
  }

  // ---- users ----

  @Test
  void usersCrud() {
    Answer created =
        provider.post(
            "/auth/users",
            admin,
            "{\"username\":\"carol\",\"password\":\"carol-password\",\"roles\":[\"developer\"],"
                + "\"groups\":[\"team-c\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text()).doesNotContain("carol-password").doesNotContain("$2");
    assertThat(created.json().get("subject").asString()).isEqualTo("user:carol");
    assertThat(
            provider
                .post(
                    "/auth/users",
                    admin,
                    "{\"username\":\"carol\",\"password\":\"carol-password\"}")
                .status())
        .isEqualTo(409);
    Answer list = provider.get("/auth/users?search=carol", admin);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("filtered").asInt()).isEqualTo(1);
    assertThat(list.json().get("items").get(0).get("username").asString()).isEqualTo("carol");
    assertThat(list.json().has("total")).isTrue();
    assertThat(list.json().has("pp")).isTrue();
    assertThat(list.text()).doesNotContain("password");
    Answer changed =
        provider.put("/auth/users/carol", admin, "{\"roles\":[\"user\"],\"groups\":[]}");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().get("roles").get(0).asString()).isEqualTo("user");
    assertThat(changed.json().get("groups").size()).isZero();
    assertThat(provider.get("/auth/users/carol", admin).status()).isEqualTo(200);
    Answer deleted = provider.delete("/auth/users/carol", admin);
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
    assertThat(provider.get("/auth/users/carol", admin).status()).isEqualTo(404);
    assertThat(provider.delete("/auth/users/carol", admin).status()).isEqualTo(404);
    assertThat(provider.put("/auth/users/carol", admin, "{\"roles\":[]}").status()).isEqualTo(404);
  }

  @Test
  void badUserBodiesAre400NamingTheField() {
    Answer shortPassword =
        provider.post("/auth/users", admin, "{\"username\":\"dave\",\"password\":\"short\"}");
    assertThat(shortPassword.status()).isEqualTo(400);
    assertThat(field(shortPassword)).isEqualTo("password");
    assertThat(shortPassword.text()).doesNotContain("short\"");
    Answer badRole =
        provider.post(
            "/auth/users",
            admin,
            "{\"username\":\"dave\",\"password\":\"dave-password\",\"roles\":[\"king\"]}");
    assertThat(field(badRole)).isEqualTo("roles[0]");
    Answer badName =
        provider.post(
            "/auth/users", admin, "{\"username\":\"da ve\",\"password\":\"dave-password\"}");
    assertThat(field(badName)).isEqualTo("username");
    Answer unknownField =
        provider.post(
            "/auth/users",
            admin,
            "{\"username\":\"dave\",\"password\":\"dave-password\",\"role\":[\"user\"]}");
    assertThat(field(unknownField)).isEqualTo("role");
  }

  @Test
  void managementNeedsATokenAndAnOperator() {
    createUser("plain", "plain-password", "[\"developer\"]", "[]");
    String plain = provider.login("plain", "plain-password");
    for (String path : List.of("/auth/users", "/auth/groups", "/auth/clients", "/auth/grants")) {
      assertThat(provider.get(path, null).status()).as(path).isEqualTo(401);
      assertThat(provider.get(path, plain).status()).as(path).isEqualTo(403);
      assertThat(provider.get(path, admin).status()).as(path).isEqualTo(200);
    }
    assertThat(provider.post("/auth/keys/rotate", plain, "").status()).isEqualTo(403);
    assertThat(
            provider
                .post("/auth/users", plain, "{\"username\":\"x1\",\"password\":\"x1-password\"}")
                .status())
        .isEqualTo(403);
    assertThat(provider.get("/auth/users/plain", null).header("WWW-Authenticate"))
        .startsWith("Bearer");
  }

  @Test
  void aUserChangesItsOwnPasswordWithTheOldOne() {
    createUser("selfish", "selfish-password", "[]", "[]");
    String token = provider.login("selfish", "selfish-password");
    assertThat(
            provider
                .put(
                    "/auth/users/selfish/password",
                    token,
                    "{\"old\":\"not-the-old\",\"new\":\"selfish-password-2\"}")
                .status())
        .isEqualTo(403);
    assertThat(
            provider
                .put(
                    "/auth/users/admin/password",
                    token,
                    "{\"old\":\"selfish-password\",\"new\":\"hijacked-password\"}")
                .status())
        .isEqualTo(403);
    assertThat(
            provider
                .put(
                    "/auth/users/selfish/password",
                    token,
                    "{\"old\":\"selfish-password\",\"new\":\"selfish-password-2\"}")
                .status())
        .isEqualTo(204);
    assertThat(provider.login("selfish", "selfish-password-2")).isNotBlank();
    // an operator needs no old password
    assertThat(
            provider
                .put("/auth/users/selfish/password", admin, "{\"new\":\"selfish-password-3\"}")
                .status())
        .isEqualTo(204);
    assertThat(provider.login("selfish", "selfish-password-3")).isNotBlank();
  }

  // ---- groups ----

  @Test
  void groupsCrud() {
    createUser("gina", "gina-password", "[]", "[]");
    Answer created =
        provider.post("/auth/groups", admin, "{\"name\":\"team-g\",\"members\":[\"gina\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("members").get(0).asString()).isEqualTo("gina");
    assertThat(provider.post("/auth/groups", admin, "{\"name\":\"team-g\"}").status())
        .isEqualTo(409);
    Answer unknownMember =
        provider.post("/auth/groups", admin, "{\"name\":\"team-h\",\"members\":[\"ghost\"]}");
    assertThat(unknownMember.status()).isEqualTo(400);
    assertThat(field(unknownMember)).isEqualTo("members[0]");
    // the membership shows in the member's token
    String token = provider.login("gina", "gina-password");
    assertThat(provider.get("/auth/me", token).json().get("groups").get(0).asString())
        .isEqualTo("team-g");
    assertThat(provider.get("/auth/groups", admin).json().get("items").size()).isPositive();
    assertThat(provider.put("/auth/groups/team-g", admin, "{\"members\":[]}").status())
        .isEqualTo(200);
    assertThat(provider.get("/auth/groups/team-g", admin).json().get("members").size()).isZero();
    assertThat(provider.delete("/auth/groups/team-g", admin).status()).isEqualTo(204);
    assertThat(provider.get("/auth/groups/team-g", admin).status()).isEqualTo(404);
    assertThat(provider.put("/auth/groups/team-g", admin, "{\"members\":[]}").status())
        .isEqualTo(404);
  }

  // ---- grants and check ----

  @Test
  void grantsCrudAndCheck() {
    createUser("grace", "grace-password", "[]", "[\"team-x\"]");
    Answer g =
        provider.post(
            "/auth/grants",
            admin,
            "{\"subject\":\"group:team-x\",\"resource\":\"flow://local/dev.kodo.examples.*\","
                + "\"mode\":\"x\",\"level\":\"advanced\"}");
    assertThat(g.status()).isEqualTo(201);
    String id = g.json().get("id").asString();
    assertThat(
            provider
                .post(
                    "/auth/grants",
                    admin,
                    "{\"subject\":\"group:team-x\",\"resource\":\"flow://local/dev.kodo.examples.*\","
                        + "\"mode\":\"x\",\"level\":\"full\"}")
                .status())
        .isEqualTo(409);
    Answer check =
        provider.post(
            "/auth/check",
            admin,
            "{\"subject\":\"user:grace\",\"resource\":\"flow://local/dev.kodo.examples.Hello\","
                + "\"action\":\"x\"}");
    assertThat(check.json().get("allowed").asBoolean()).isTrue();
    assertThat(check.json().get("level").asString()).isEqualTo("advanced");
    Answer denied =
        provider.post(
            "/auth/check",
            admin,
            "{\"subject\":\"user:grace\",\"resource\":\"flow://local/dev.kodo.examples.Hello\","
                + "\"action\":\"r\"}");
    assertThat(denied.json().get("allowed").asBoolean()).isFalse();
    assertThat(denied.json().get("level").isNull()).isTrue();
    Answer list = provider.get("/auth/grants?subject=group:team-x", admin);
    assertThat(list.json().get("items").get(0).get("id").asString()).isEqualTo(id);
    Answer byResource =
        provider.get("/auth/grants?resource=flow://local/dev.kodo.examples.Hello", admin);
    assertThat(byResource.json().get("filtered").asInt()).isEqualTo(1);
    Answer badLevel =
        provider.post(
            "/auth/grants",
            admin,
            "{\"subject\":\"user:grace\",\"resource\":\"flow://local/a\",\"mode\":\"r\","
                + "\"level\":\"huge\"}");
    assertThat(field(badLevel)).isEqualTo("level");
    Answer badSubject =
        provider.post(
            "/auth/grants",
            admin,
            "{\"subject\":\"grace\",\"resource\":\"flow://local/a\",\"mode\":\"r\",\"level\":\"full\"}");
    assertThat(field(badSubject)).isEqualTo("subject");
    Answer badResource =
        provider.post(
            "/auth/grants",
            admin,
            "{\"subject\":\"user:grace\",\"resource\":\"http://x\",\"mode\":\"r\",\"level\":\"full\"}");
    assertThat(field(badResource)).isEqualTo("resource");
    assertThat(provider.delete("/auth/grants/" + id, admin).status()).isEqualTo(204);
    assertThat(provider.delete("/auth/grants/" + id, admin).status()).isEqualTo(404);
  }

  // ---- clients and client credentials ----

  @Test
  void aNodeClientGetsAClientCredentialsTokenWithKodoClaims() throws Exception {
    Answer created =
        provider.post("/auth/clients", admin, "{\"client_id\":\"edge-1\",\"kind\":\"node\"}");
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().get("client_secret").asString();
    assertThat(secret).hasSizeGreaterThan(30);
    assertThat(created.json().get("subject").asString()).isEqualTo("node:edge-1");
    assertThat(
            provider
                .post("/auth/clients", admin, "{\"client_id\":\"edge-1\",\"kind\":\"node\"}")
                .status())
        .isEqualTo(409);
    Answer list = provider.get("/auth/clients", admin);
    assertThat(list.text()).contains("edge-1").doesNotContain(secret).doesNotContain("secret");
    assertThat(provider.get("/auth/clients/edge-1", admin).text()).doesNotContain(secret);

    Answer token = provider.clientToken("edge-1", secret);
    assertThat(token.status()).isEqualTo(200);
    JWTClaimsSet claims = verified(token.json().get("access_token").asString());
    assertThat(claims.getSubject()).isEqualTo("node:edge-1");
    assertThat(claims.getIssuer()).isEqualTo(provider.url + "/auth");
    assertThat(claims.getAudience()).containsExactly("kodo");
    assertThat(claims.getStringListClaim("roles")).isEmpty();
    assertThat(claims.getStringListClaim("groups")).isEmpty();
    assertThat(claims.getJWTID()).isNotBlank();

    // a node client reads grants, nothing else
    String nodeToken = token.json().get("access_token").asString();
    assertThat(provider.get("/auth/grants", nodeToken).status()).isEqualTo(200);
    assertThat(provider.get("/auth/users", nodeToken).status()).isEqualTo(403);
    assertThat(provider.get("/auth/me", nodeToken).json().get("subject").asString())
        .isEqualTo("node:edge-1");

    assertThat(provider.clientToken("edge-1", "wrong-secret").status()).isEqualTo(401);
    assertThat(provider.delete("/auth/clients/edge-1", admin).status()).isEqualTo(204);
    assertThat(provider.clientToken("edge-1", secret).status()).isEqualTo(401);
    assertThat(provider.delete("/auth/clients/edge-1", admin).status()).isEqualTo(404);
  }

  @Test
  void aWorkerClientsSubjectIsWorker() throws Exception {
    Answer created =
        provider.post(
            "/auth/clients",
            admin,
            "{\"client_id\":\"w1\",\"kind\":\"worker\",\"node\":\"local\"}");
    assertThat(created.status()).isEqualTo(201);
    Answer token = provider.clientToken("w1", created.json().get("client_secret").asString());
    assertThat(verified(token.json().get("access_token").asString()).getSubject())
        .isEqualTo("worker:w1");
    Answer badKind =
        provider.post("/auth/clients", admin, "{\"client_id\":\"w2\",\"kind\":\"robot\"}");
    assertThat(field(badKind)).isEqualTo("kind");
  }

  // ---- discovery and JWKS ----

  @Test
  void discoveryNamesTheIssuerJwksAndTokenEndpoint() {
    Answer a = provider.get("/auth/.well-known/openid-configuration", null);
    assertThat(a.status()).isEqualTo(200);
    JsonNode d = a.json();
    assertThat(d.get("issuer").asString()).isEqualTo(provider.url + "/auth");
    assertThat(d.get("jwks_uri").asString()).isEqualTo(provider.url + "/auth/oauth2/jwks");
    assertThat(d.get("token_endpoint").asString()).isEqualTo(provider.url + "/auth/oauth2/token");
    assertThat(d.get("grant_types_supported").toString()).contains("client_credentials");
    assertThat(d.get("token_endpoint_auth_methods_supported").toString())
        .contains("client_secret_basic")
        .contains("client_secret_post");
    assertThat(d.get("id_token_signing_alg_values_supported").toString()).contains("RS256");
  }

  @Test
  void jwksPublishesPublicKeysOnly() {
    Answer a = provider.get("/auth/oauth2/jwks", null);
    assertThat(a.status()).isEqualTo(200);
    JsonNode keys = a.json().get("keys");
    assertThat(keys.size()).isPositive();
    for (JsonNode k : keys) {
      assertThat(k.get("kty").asString()).isEqualTo("RSA");
      assertThat(k.has("kid")).isTrue();
      assertThat(k.has("d")).isFalse();
      assertThat(k.has("p")).isFalse();
    }
  }

  @Test
  void theSasEndpointsOutsideAuthAreNotServed() {
    assertThat(provider.get("/.well-known/openid-configuration", null).status()).isNotEqualTo(200);
    assertThat(provider.get("/oauth2/jwks", null).status()).isNotEqualTo(200);
  }

  // ---- beans for a node in the same process ----

  @Test
  void theInProcessBeansServeANodeWithoutHttp() {
    LocalIssuer issuer = provider.context.getBean(LocalIssuer.class);
    assertThat(issuer.issuer()).isEqualTo(provider.url + "/auth");
    String operator =
        provider.context.getBean(OperatorTokens.class).mint("user:admin", Duration.ofMinutes(1));
    Answer me = provider.get("/auth/me", operator);
    assertThat(me.json().get("subject").asString()).isEqualTo("user:admin");
    assertThat(me.json().get("roles").get(0).asString()).isEqualTo("operator");
    Answer g =
        provider.post(
            "/auth/grants",
            operator,
            "{\"subject\":\"user:inproc\",\"resource\":\"node://local\",\"mode\":\"x\"}");
    assertThat(g.status()).isEqualTo(201);
    assertThat(g.json().get("level").asString()).isEqualTo("full");
    assertThat(provider.context.getBean(GrantSource.class).grants())
        .extracting(Grant::subject)
        .contains("user:inproc");
  }

  // ---- helpers ----

  static JWTClaimsSet verified(String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    JWKSet set = JWKSet.parse(provider.get("/auth/oauth2/jwks", null).text());
    RSAKey key = set.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey();
    assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    return jwt.getJWTClaimsSet();
  }

  static void createUser(String name, String password, String roles, String groups) {
    Answer a =
        provider.post(
            "/auth/users",
            admin,
            "{\"username\":\""
                + name
                + "\",\"password\":\""
                + password
                + "\",\"roles\":"
                + roles
                + ",\"groups\":"
                + groups
                + "}");
    assertThat(a.status()).as(a.text()).isEqualTo(201);
  }

  static String field(Answer a) {
    assertThat(a.status()).as(a.text()).isEqualTo(400);
    return a.json().get("errors").get(0).get("field").asString();
  }
}
