package dev.kodo.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimMappingTest {

  @Test
  void kodoTokensMapAsTheyAre() {
    Caller c =
        new ClaimMapping(new AuthProperties())
            .caller(
                Map.of(
                    "sub", "user:alice",
                    "roles", List.of("developer", "stranger"),
                    "groups", List.of("team-a")));
    assertThat(c).isEqualTo(new Caller("user:alice", Set.of(Role.DEVELOPER), Set.of("team-a")));
  }

  @Test
  void keycloakTokensMapThroughProperties() {
    AuthProperties p = new AuthProperties();
    p.getClaims().setSubject("preferred_username");
    p.getClaims().setSubjectPrefix("user:");
    p.getClaims().setRoles("realm_access.roles");
    p.getRoleMap().put("kodo-admin", "operator");
    p.getRoleMap().put("kodo-dev", "developer");
    Caller c =
        new ClaimMapping(p)
            .caller(
                Map.of(
                    "sub",
                    "8f2c0d2e-1111-2222-3333-444455556666",
                    "preferred_username",
                    "bob",
                    "realm_access",
                    Map.of("roles", List.of("kodo-dev", "offline_access", "uma_authorization")),
                    "groups",
                    List.of("/team-b", "ops")));
    assertThat(c.subject()).isEqualTo("user:bob");
    assertThat(c.roles()).containsExactly(Role.DEVELOPER);
    assertThat(c.groups()).containsExactlyInAnyOrder("team-b", "ops");
  }

  @Test
  void aTokenWithoutAValidSubjectIsRefused() {
    ClaimMapping m = new ClaimMapping(new AuthProperties());
    assertThatThrownBy(() -> m.caller(Map.of("roles", List.of("operator"))))
        .hasMessageContaining("'sub'");
    assertThatThrownBy(() -> m.caller(Map.of("sub", "alice")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRoleMapToAnUnknownRoleFailsAtStart() {
    AuthProperties p = new AuthProperties();
    p.getRoleMap().put("x", "superuser");
    assertThatThrownBy(() -> new ClaimMapping(p)).hasMessageContaining("superuser");
  }
}
