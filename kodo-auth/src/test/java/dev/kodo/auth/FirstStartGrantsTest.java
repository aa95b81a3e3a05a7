package dev.kodo.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.auth.store.AuthStore;
import dev.kodo.client.Level;
import dev.kodo.client.access.Grant;
import dev.kodo.client.access.Mode;
import dev.kodo.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The first start's grants on a real SQLite store (docs/security.md#bootstrap): given on the start
 * that creates {@code admin}, never on a later one, even after an operator revoked them.
 */
class FirstStartGrantsTest {
  private static final PasswordEncoder PASSWORDS =
      PasswordEncoderFactories.createDelegatingPasswordEncoder();

  private static FirstStartGrants start(AuthStore store) {
    PrintStream console =
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new FirstStartGrants(store, AdminBootstrap.run(store, PASSWORDS, "pw-first", console));
  }

  private static void grantOwnFlows(FirstStartGrants grants) {
    grants.grant("node:alpha", "flow://alpha/*", Mode.X, Level.FULL);
  }

  @Test
  void onlyTheStartThatCreatesAdminGrantsAndARevokedGrantStaysRevoked(@TempDir Path dir) {
    try (AuthStore store = AuthStore.open(StoreOptions.sqlite(dir))) {
      FirstStartGrants first = start(store);
      assertThat(first.firstStart()).isTrue();
      grantOwnFlows(first);
      assertThat(store.grants())
          .singleElement()
          .satisfies(
              g -> {
                assertThat(g.subject()).isEqualTo("node:alpha");
                assertThat(g.resource()).isEqualTo("flow://alpha/*");
                assertThat(g.mode()).isEqualTo("x");
                assertThat(g.level()).isEqualTo("full");
              });

      store.deleteGrant(store.grants().getFirst().id());
      FirstStartGrants later = start(store);
      assertThat(later.firstStart()).isFalse();
      assertThat(later.grant("node:alpha", "flow://alpha/*", Mode.X, Level.FULL)).isFalse();
      assertThat(store.grants()).extracting(Grant::subject).isEmpty();
    }
  }

  @Test
  void anInvalidSubjectOrResourceIsRefused(@TempDir Path dir) {
    try (AuthStore store = AuthStore.open(StoreOptions.sqlite(dir))) {
      FirstStartGrants first = start(store);
      assertThatThrownBy(() -> first.grant("alpha", "flow://alpha/*", Mode.X, Level.FULL))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> first.grant("node:alpha", "alpha/*", Mode.X, Level.FULL))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.grants()).isEmpty();
    }
  }
}
