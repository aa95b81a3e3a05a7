package dev.kodo.ui.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The UI's chain takes its own paths and never the API's, the registry's or the provider's. */
class UiPagesTest {
  @Test
  void pagesAreTheUisOnly() {
    assertThat(UiPages.matches("/")).isTrue();
    assertThat(UiPages.matches("/login")).isTrue();
    assertThat(UiPages.matches("/runs")).isTrue();
    assertThat(UiPages.matches("/runs/abc/stream")).isTrue();
    assertThat(UiPages.matches("/ui/kodo.js")).isTrue();
    assertThat(UiPages.matches("/admin")).isTrue();
    assertThat(UiPages.matches("/admin/users/alice/delete")).isTrue();
    assertThat(UiPages.matches("/administrator")).isFalse();
    assertThat(UiPages.matches("/api/runs")).isFalse();
    assertThat(UiPages.matches("/api/runs/abc/stream")).isFalse();
    assertThat(UiPages.matches("/registry/nodes")).isFalse();
    assertThat(UiPages.matches("/auth/login")).isFalse();
    assertThat(UiPages.matches("/runsx")).isFalse();
  }

  @Test
  void registryPagesAreTheUisButNotTheRegistrysApi() {
    assertThat(UiPages.matches("/registry/")).isTrue();
    assertThat(UiPages.matches("/registry/ui/flows")).isTrue();
    assertThat(UiPages.matches("/registry/ui/nodes/n1/unregister")).isTrue();
    assertThat(UiPages.matches("/registry")).isFalse();
    assertThat(UiPages.matches("/registry/flows")).isFalse();
    assertThat(UiPages.matches("/registry/peers")).isFalse();
    assertThat(UiPages.matches("/registry/uix")).isFalse();
  }
}
