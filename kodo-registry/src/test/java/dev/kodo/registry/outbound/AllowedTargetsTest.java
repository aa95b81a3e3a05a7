package dev.kodo.registry.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which addresses the registry may send requests to, by default and as configured; no request is
 * sent.
 */
class AllowedTargetsTest {
  private static final Duration LOOKUP = Duration.ofSeconds(5);
  private static final AllowedTargets ON_LOOPBACK = AllowedTargets.of(List.of(), "127.0.0.1");
  private static final AllowedTargets ON_ALL_INTERFACES = AllowedTargets.of(List.of(), null);

  private static String refusal(AllowedTargets t, String url) {
    try {
      t.check(url, "url", LOOKUP);
      return null;
    } catch (TargetRefusedException e) {
      assertThat(e.parameter()).isEqualTo("url");
      return e.reason();
    }
  }

  @Test
  void byDefaultPublicAddressesAreAllowedAndLoopbackOnlyWhenTheRegistryListensOnLoopback() {
    assertThat(refusal(ON_LOOPBACK, "http://203.0.114.7:3370")).isNull();
    assertThat(refusal(ON_LOOPBACK, "https://[2a00:1450:4001::1]")).isNull();
    assertThat(refusal(ON_LOOPBACK, "http://127.0.0.1:3370")).isNull();
    assertThat(refusal(ON_LOOPBACK, "http://[::1]:3370")).isNull();
    assertThat(refusal(ON_LOOPBACK, "http://localhost:3370")).isNull();
    assertThat(refusal(AllowedTargets.of(null, "localhost"), "http://127.0.0.1:1")).isNull();

    assertThat(refusal(ON_ALL_INTERFACES, "http://127.0.0.1:3370"))
        .isEqualTo(
            "127.0.0.1 is a loopback address, which"
                + " kodo.registry.allowed-targets (public) does not allow; by default loopback addresses are allowed only when"
                + " the registry listens on one (server.address)");
    assertThat(refusal(AllowedTargets.of(List.of(), "0.0.0.0"), "http://127.0.0.2"))
        .contains("loopback");
    assertThat(refusal(AllowedTargets.of(List.of(), "10.1.2.3"), "http://[::1]"))
        .contains("loopback");
    assertThat(refusal(ON_ALL_INTERFACES, "http://localhost:3370"))
        .startsWith("the host 'localhost' resolves to a loopback address")
        .doesNotContain("127.0.0.1");
    assertThat(refusal(ON_ALL_INTERFACES, "http://203.0.114.7")).isNull();
  }

  @Test
  void privateLinkLocalMetadataMulticastUnspecifiedAndReservedAddressesAreRefusedByDefault() {
    for (String url :
        List.of(
            "http://10.0.0.1:3370",
            "http://172.16.5.4",
            "http://172.31.255.255",
            "http://192.168.1.1",
            "http://100.64.0.1",
            "http://[fd00::1]",
            "http://[fec0::1]")) {
      assertThat(refusal(ON_LOOPBACK, url))
          .as(url)
          .contains("a private address")
          .contains("add 'private'");
    }
    assertThat(refusal(ON_LOOPBACK, "http://172.32.0.1")).as("just outside 172.16.0.0/12").isNull();
    assertThat(refusal(ON_LOOPBACK, "http://169.254.169.254/latest/meta-data"))
        .isEqualTo(
            "169.254.169.254 is a cloud"
                + " metadata address, which kodo.registry.allowed-targets (public, loopback) does not allow; such addresses are"
                + " reached only when it lists a block inside 169.254.169.254/32");
    for (String url :
        List.of(
            "http://169.254.170.2",
            "http://100.100.100.200",
            "http://168.63.129.16",
            "http://[fd00:ec2::254]",
            "http://[::ffff:169.254.169.254]",
            "http://[64:ff9b::a9fe:a9fe]",
            "http://[2002:a9fe:a9fe::1]",
            "http://[::169.254.169.254]")) {
      assertThat(refusal(ON_LOOPBACK, url)).as(url).contains("cloud metadata");
    }
    assertThat(refusal(ON_LOOPBACK, "http://169.254.1.1"))
        .contains("169.254.1.1 is a link-local address");
    assertThat(refusal(ON_LOOPBACK, "http://[fe80::1]")).contains("link-local");
    assertThat(refusal(ON_LOOPBACK, "http://224.0.0.1")).contains("multicast");
    assertThat(refusal(ON_LOOPBACK, "http://[ff02::1]")).contains("multicast");
    assertThat(refusal(ON_LOOPBACK, "http://0.0.0.0:3370")).contains("unspecified");
    assertThat(refusal(ON_LOOPBACK, "http://0.1.2.3")).contains("unspecified");
    assertThat(refusal(ON_LOOPBACK, "http://[::]:3370")).contains("unspecified");
    assertThat(refusal(ON_LOOPBACK, "http://255.255.255.255")).contains("reserved");
    assertThat(refusal(ON_LOOPBACK, "http://[2001:db8::1]")).contains("reserved");
    assertThat(refusal(ON_ALL_INTERFACES, "http://[::ffff:127.0.0.1]"))
        .as("a mapped IPv4 address is judged as such")
        .contains("loopback");
    assertThat(refusal(ON_LOOPBACK, "http://[2002:0a00:0001::1]"))
        .as("6to4 of 10.0.0.1")
        .contains("private");
  }

  @Test
  void aConfiguredListAllowsExactlyWhatItNames() {
    AllowedTargets lan =
        AllowedTargets.of(
            List.of("private", " 192.0.2.0/24 ", "nodes.example.com", "*.corp.example"),
            "127.0.0.1");
    assertThat(refusal(lan, "http://10.9.8.7")).isNull();
    assertThat(refusal(lan, "http://192.0.2.7"))
        .as("a listed block opens a reserved range inside it")
        .isNull();
    assertThat(refusal(lan, "http://203.0.114.7"))
        .contains("a public address")
        .contains("(private, 192.0.2.0/24, nodes.example.com," + " *.corp.example)")
        .contains("add 'public'");
    assertThat(refusal(lan, "http://127.0.0.1"))
        .as("a list replaces the default")
        .contains("loopback")
        .contains("add 'loopback'");
    assertThat(refusal(lan, "http://169.254.169.254")).contains("cloud metadata");

    AllowedTargets everything = AllowedTargets.of(List.of("0.0.0.0/0", "::/0"), null);
    assertThat(refusal(everything, "http://10.0.0.1")).isNull();
    assertThat(refusal(everything, "http://127.0.0.1")).isNull();
    assertThat(refusal(everything, "http://169.254.169.254"))
        .as("a catch-all block does not open metadata")
        .contains("cloud metadata");
    assertThat(refusal(everything, "http://[fe80::1]")).contains("link-local");
    assertThat(
            refusal(
                AllowedTargets.of(List.of("169.254.169.254/32"), null), "http://169.254.169.254"))
        .isNull();
    AllowedTargets linkLocal = AllowedTargets.of(List.of("169.254.0.0/16"), null);
    assertThat(refusal(linkLocal, "http://169.254.1.1")).isNull();
    assertThat(refusal(linkLocal, "http://169.254.169.254"))
        .as("metadata needs its own entry")
        .contains("169.254.169.254/32");

    AllowedTargets byName = AllowedTargets.of(List.of("localhost"), null);
    assertThat(refusal(byName, "http://localhost:3370"))
        .as("a host pattern allows what its name resolves to")
        .isNull();
    assertThat(refusal(byName, "http://LOCALHOST:3370")).isNull();
    assertThat(refusal(byName, "http://127.0.0.1:3370"))
        .as("but not an address literal")
        .contains("loopback");
  }

  @Test
  void hostPatternsMatchTheNameOrItsSubdomains() throws Exception {
    AllowedTargets t = AllowedTargets.of(List.of("*.example.com", "exact.test"), null);
    assertThat(t.toString()).isEqualTo("kodo.registry.allowed-targets=*.example.com, exact.test");
    InetAddress publicAddress = InetAddress.getByName("203.0.114.7");
    InetAddress privateAddress = InetAddress.getByName("10.0.0.7");
    InetAddress metadata = InetAddress.getByName("169.254.169.254");
    assertThat(t.refusal("a.example.com", privateAddress)).isNull();
    assertThat(t.refusal("a.b.example.com", privateAddress)).isNull();
    assertThat(t.refusal("example.com", privateAddress)).contains("private");
    assertThat(t.refusal("badexample.com", privateAddress)).contains("private");
    assertThat(t.refusal("exact.test", privateAddress)).isNull();
    assertThat(t.refusal("sub.exact.test", privateAddress)).contains("private");
    assertThat(t.refusal("a.example.com", metadata))
        .as("a name never opens metadata")
        .contains("cloud metadata");
    assertThat(t.refusal(null, publicAddress)).contains("public");
  }

  @Test
  void hostsThatDoNotResolveAreRefusedAtTheCheck() {
    assertThat(refusal(ON_LOOPBACK, "http://no-such-host.invalid:3370"))
        .isEqualTo("the host 'no-such-host.invalid' does not resolve here");
  }

  @Test
  void badEntriesStopTheRegistryFromStarting() {
    for (String bad :
        List.of("10.0.0.0/33", "http://x", "*", "10.0.0.*", "a..b", "::1/129", "-x.com")) {
      assertThatThrownBy(() -> AllowedTargets.of(List.of(bad), null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("kodo.registry.allowed-targets: '" + bad + "'");
    }
  }
}
