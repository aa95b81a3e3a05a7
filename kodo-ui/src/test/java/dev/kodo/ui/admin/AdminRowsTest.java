package dev.kodo.ui.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AdminRowsTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aProviderListBecomesRowsWithItsPaging() {
    JsonNode page =
        JSON.readTree(
            """
            {"total": 250, "filtered": 120, "p": 1, "pp": 100, "items": [
              {"username": "alice", "subject": "user:alice", "roles": ["operator", "user"],
               "groups": ["research"], "created": "2026-01-01T00:00:00Z"},
              {"username": "bob", "subject": "user:bob", "roles": [], "groups": []}]}
            """);
    AdminRows.Listing<AdminRows.User> users = AdminRows.listing(page, AdminRows::user);
    assertThat(users.total()).isEqualTo(250);
    assertThat(users.filtered()).isEqualTo(120);
    assertThat(users.p()).isEqualTo(1);
    assertThat(users.pages()).isEqualTo(2);
    assertThat(users.items())
        .containsExactly(
            new AdminRows.User(
                "alice",
                "user:alice",
                java.util.List.of("operator", "user"),
                java.util.List.of("research")),
            new AdminRows.User("bob", "user:bob", java.util.List.of(), java.util.List.of()));
  }

  @Test
  void grantsAndClientsKeepTheirFieldsAndANullNodeIsEmpty() {
    AdminRows.Grant g =
        AdminRows.grant(
            JSON.readTree(
                """
                {"id": "g1", "subject": "group:ops", "resource": "flow://local/*",
                 "mode": "x", "level": "advanced"}
                """));
    assertThat(g)
        .isEqualTo(new AdminRows.Grant("g1", "group:ops", "flow://local/*", "x", "advanced"));
    AdminRows.Client c =
        AdminRows.client(
            JSON.readTree(
                """
                {"client_id": "w1", "kind": "worker", "node": null, "subject": "worker:w1",
                 "created": "2026-01-01T00:00:00Z"}
                """));
    assertThat(c.clientId()).isEqualTo("w1");
    assertThat(c.node()).isEmpty();
    assertThat(c.subject()).isEqualTo("worker:w1");
  }

  @Test
  void namesSplitOnCommasAndSpacesAndDropBlanks() {
    assertThat(AdminRows.names(" alice, bob  carol,,")).containsExactly("alice", "bob", "carol");
    assertThat(AdminRows.names("")).isEmpty();
    assertThat(AdminRows.names(null)).isEmpty();
  }

  @Test
  void generatedPasswordsAreLongEnoughAndDiffer() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String p = AdminRows.password();
      assertThat(p).hasSize(24).matches("[A-Za-z0-9_-]+");
      seen.add(p);
    }
    assertThat(seen).hasSize(100);
  }
}
