package dev.kodo.web.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** --no-auth only on loopback (docs/security.md#tokens-on-every-request). */
class LoopbackRuleTest {

  private static MockEnvironment address(String address) {
    MockEnvironment env = new MockEnvironment();
    if (address != null) env.setProperty("server.address", address);
    return env;
  }

  @Test
  void loopbackAddressesMayRunWithoutAuth() {
    for (String a : new String[] {"127.0.0.1", "127.3.4.5", "::1", "localhost"}) {
      assertThatCode(() -> KodoWebSecurity.requireLoopback(address(a)))
          .as(a)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyOtherAddressIsRefusedNamingTheSetting() {
    for (String a :
        new String[] {null, "", "0.0.0.0", "::", "192.0.2.10", "no-such-host.invalid"}) {
      assertThatThrownBy(() -> KodoWebSecurity.requireLoopback(address(a)))
          .as(String.valueOf(a))
          .isInstanceOf(AuthSetupException.class)
          .hasMessageContaining("--no-auth")
          .hasMessageContaining("server.address");
    }
  }

  @Test
  void authWithoutAnIssuerIsRefusedNamingItAndNoAuth() {
    assertThatThrownBy(() -> KodoWebSecurity.decoder(new AuthProperties(), null))
        .isInstanceOf(AuthSetupException.class)
        .hasMessageContaining("kodo.auth.issuer")
        .hasMessageContaining("--no-auth");
  }
}
