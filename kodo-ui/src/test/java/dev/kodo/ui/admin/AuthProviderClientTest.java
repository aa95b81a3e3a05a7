package dev.kodo.ui.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthProviderClientTest {
  @Test
  void aWildcardBindIsReachedOnLoopbackAndAnAddressAsItIs() {
    assertThat(AuthProviderClient.listener("")).isEqualTo("127.0.0.1");
    assertThat(AuthProviderClient.listener("0.0.0.0")).isEqualTo("127.0.0.1");
    assertThat(AuthProviderClient.listener("::")).isEqualTo("127.0.0.1");
    assertThat(AuthProviderClient.listener("10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(AuthProviderClient.listener("::1")).isEqualTo("[::1]");
    assertThat(AuthProviderClient.listener("[::1]")).isEqualTo("[::1]");
  }

  @Test
  void pathSegmentsAreEncoded() {
    assertThat(AuthProviderClient.segment("a b/c")).isEqualTo("a%20b%2Fc");
    assertThat(AuthProviderClient.segment("alice@example.org")).isEqualTo("alice%40example.org");
  }
}
