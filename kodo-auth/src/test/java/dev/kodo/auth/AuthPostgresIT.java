package dev.kodo.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.kodo.auth.ProviderFixture.Answer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider on the PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres})
 * in a schema of its own, dropped afterwards: its tables and history table are there, and users,
 * grants, clients and keys survive a restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AuthPostgresIT {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";
  private static final String SCHEMA =
      "kodo_auth_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @TempDir Path data;

  private ProviderFixture start() {
    return new ProviderFixture(
        data,
        "--kodo.auth.provider.store.url=" + URL,
        "--kodo.auth.provider.store.user=" + USER,
        "--kodo.auth.provider.store.schema=" + SCHEMA,
        "--kodo.auth.provider.admin-password=postgres-admin-password");
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Test
  void theProviderKeepsItsDataInPostgres() throws Exception {
    String kid;
    String secret;
    try (ProviderFixture p = start()) {
      String admin = p.login("admin", "postgres-admin-password");
      kid = SignedJWT.parse(admin).getHeader().getKeyID();
      assertThat(
              p.post(
                      "/auth/users",
                      admin,
                      "{\"username\":\"pat\",\"password\":\"pat-password\",\"groups\":[\"pg\"]}")
                  .status())
          .isEqualTo(201);
      assertThat(
              p.post(
                      "/auth/grants",
                      admin,
                      "{\"subject\":\"group:pg\",\"resource\":\"flow://*/*\",\"mode\":\"r\","
                          + "\"level\":\"basic\"}")
                  .status())
          .isEqualTo(201);
      Answer client =
          p.post("/auth/clients", admin, "{\"client_id\":\"pg-node\",\"kind\":\"node\"}");
      assertThat(client.status()).isEqualTo(201);
      secret = client.json().get("client_secret").asString();
    }
    assertThat(tables())
        .contains(
            "auth_users",
            "auth_groups",
            "auth_members",
            "auth_grants",
            "auth_clients",
            "auth_keys",
            "auth_refresh_tokens",
            "auth_schema_history");
    try (ProviderFixture p = start()) {
      String pat = p.login("pat", "pat-password");
      assertThat(SignedJWT.parse(pat).getHeader().getKeyID()).isEqualTo(kid);
      assertThat(p.get("/auth/me", pat).json().get("groups").get(0).asString()).isEqualTo("pg");
      String admin = p.login("admin", "postgres-admin-password");
      assertThat(p.get("/auth/grants?subject=group:pg", admin).json().get("filtered").asInt())
          .isEqualTo(1);
      assertThat(p.clientToken("pg-node", secret).status()).isEqualTo(200);
    }
  }

  private static List<String> tables() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
      ps.setString(1, SCHEMA);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    }
  }
}
