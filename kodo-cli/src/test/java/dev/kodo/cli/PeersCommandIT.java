package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code koco peers} against two real registries, {@code eu} and {@code us}, on loopback ports.
 * Their sync interval is long, so exchanges happen when a test asks for them ({@code --sync}) and
 * right after a peer is added.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PeersCommandIT {
  private static final String NL = System.lineSeparator();
  private static final String QUIET = "--kodo.registry.sync-interval=1h";
  private static final String WHEN = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

  @TempDir static Path data;
  static TestRegistry eu;
  static TestRegistry us;

  @BeforeAll
  static void startRegistries() {
    eu = TestRegistry.start(data.resolve("eu"), "--kodo.registry.name=eu", QUIET);
    us = TestRegistry.start(data.resolve("us"), "--kodo.registry.name=us", QUIET);
    assertThat(eu.name).isEqualTo("eu");
    assertThat(eu.koco("register", "alpha").exitCode()).isEqualTo(Exit.OK);
    eu.connect(
        "alpha",
        "http://127.0.0.1:3393",
        """
        [{"path":"reports/eu-sales.yaml","name":"EU sales","release":"1.0.0","tags":["finance"]},
         {"path":"gdpr.yaml","name":"GDPR check","release":"2.1.0"}]""");
  }

  @AfterAll
  static void stopRegistries() {
    for (TestRegistry r : new TestRegistry[] {us, eu}) {
      if (r != null) {
        r.close();
      }
    }
  }

  @Test
  void aProviderIsListedSyncedAndRemovedWithWhatCameFromIt() {
    Cli added = us.koco("peers", "--add", "eu", "--url", eu.url, "--role", "provider");
    assertThat(added.exitCode()).as(added.err()).isEqualTo(Exit.OK);
    assertThat(added.out())
        .isEqualTo(
            "peer eu added as a provider: this registry pulls "
                + eu.url
                + "/registry/export every sync interval"
                + NL);

    Cli listed = us.koco("peers");
    assertThat(listed.exitCode()).as(listed.err()).isEqualTo(Exit.OK);
    assertThat(listed.out().lines().findFirst())
        .hasValueSatisfying(
            h ->
                assertThat(h)
                    .startsWith("NAME")
                    .containsSubsequence("ROLE", "URL", "LAST SYNC", "NODES", "ERROR"));
    assertThat(listed.out())
        .containsPattern(
            "(?m)^eu +provider +" + Pattern.quote(eu.url) + " +(-|" + WHEN + ") +\\d +-$")
        .endsWith(NL + "1 peer" + NL);

    Cli synced = us.koco("peers", "--sync", "eu");
    assertThat(synced.exitCode()).as(synced.err()).isEqualTo(Exit.OK);
    assertThat(synced.out()).isEqualTo("synced with eu: 1 node" + NL);
    assertThat(us.koco("peers").out())
        .containsPattern("(?m)^eu +provider +" + Pattern.quote(eu.url) + " +" + WHEN + " +1 +-$");

    Cli flows = us.koco("flows", "--query", "origin = \"eu\"", "--by", "path");
    assertThat(flows.exitCode()).as(flows.err()).isEqualTo(Exit.OK);
    assertThat(flows.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).endsWith("ORIGIN"));
    assertThat(flows.out())
        .containsPattern(
            "(?m)^alpha +gdpr\\.yaml +GDPR check +2\\.1\\.0 +yes +http://127\\.0\\.0\\.1:3393 +eu$")
        .containsPattern(
            "(?m)^alpha +reports/eu-sales\\.yaml +EU sales +1\\.0\\.0 +yes +http://127\\.0\\.0\\.1:3393 +finance +eu$");
    JsonNode json = Json.read(us.koco("flows", "--query", "origin = \"eu\"", "--json").out());
    assertThat(json.get("filtered").asInt()).isEqualTo(2);
    assertThat(json.get("items").get(0).get("origin").asString()).isEqualTo("eu");
    assertThat(us.koco("nodes", "--search", "alpha").out())
        .containsPattern("(?m)^alpha +yes +http://127\\.0\\.0\\.1:3393 +2 +- +eu$");

    Cli removed = us.koco("peers", "--remove", "eu");
    assertThat(removed.exitCode()).as(removed.err()).isEqualTo(Exit.OK);
    assertThat(removed.out()).isEqualTo("peer eu removed, with every node taken in from it" + NL);
    assertThat(us.koco("flows", "--query", "origin = \"eu\"").out()).startsWith("no flow matches");
    assertThat(us.koco("peers").out()).doesNotContainPattern("(?m)^eu ");

    Cli again = us.koco("peers", "--remove", "eu");
    assertThat(again.exitCode()).isEqualTo(Exit.NODE);
    assertThat(again.err()).isEqualTo("koco: 404 Peer not found — no peer 'eu'" + NL);
    assertThat(us.koco("peers", "--sync", "eu").exitCode()).isEqualTo(Exit.NODE);
  }

  @Test
  void aConsumerThatHasNotAcceptedThisRegistryFailsToSyncNamingWhatItsAdminMustDo(
      @TempDir Path own) {
    try (TestRegistry hq = TestRegistry.start(own, "--kodo.registry.name=hq", QUIET)) {
      Cli added = eu.koco("peers", "--add", "hq", "--url", hq.url, "--role", "consumer");
      assertThat(added.exitCode()).as(added.err()).isEqualTo(Exit.OK);
      assertThat(added.out())
          .isEqualTo(
              "peer hq added as a consumer: this registry pushes its export to "
                  + hq.url
                  + "/registry/import every sync interval (hq must have this registry as a contributor)"
                  + NL);

      Cli refused = eu.koco("peers", "--sync", "hq");
      assertThat(refused.exitCode()).isEqualTo(Exit.FAILED);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err())
          .isEqualTo(
              "koco: sync with hq failed: it does not take this registry's pushes; an admin must add"
                  + " it there as a contributor: POST /registry/peers {\"name\":\"eu\",\"role\":\"contributor\"}"
                  + " (with koco: koco peers --add eu --role contributor --registry "
                  + hq.url
                  + ")"
                  + NL);
      Cli refusedJson = eu.koco("peers", "--sync", "hq", "--json");
      assertThat(refusedJson.exitCode()).isEqualTo(Exit.FAILED);
      assertThat(Json.read(refusedJson.out()).get("lastError").asString()).contains("contributor");
      assertThat(eu.koco("peers").out())
          .containsPattern(
              "(?m)^hq +consumer +" + Pattern.quote(hq.url) + " +- +0 +it does not take");

      // what the hint says, on hq: then the push goes through
      Cli accepted = hq.koco("peers", "--add", "eu", "--role", "contributor");
      assertThat(accepted.exitCode()).as(accepted.err()).isEqualTo(Exit.OK);
      assertThat(accepted.out())
          .isEqualTo(
              "peer eu added as a contributor: it may push its export to this registry,"
                  + " once it has this registry as a consumer"
                  + NL);
      Cli pushed = eu.koco("peers", "--sync", "hq");
      assertThat(pushed.exitCode()).as(pushed.err()).isEqualTo(Exit.OK);
      assertThat(pushed.out()).isEqualTo("synced with hq: it took 1 node" + NL);
      assertThat(hq.koco("peers", "--sync", "eu").out())
          .matches(
              "eu is a contributor: it pushes to this registry by itself;"
                  + " 1 node from its last push at "
                  + WHEN
                  + NL);
      assertThat(hq.koco("peers").out())
          .containsPattern("(?m)^eu +contributor +- +" + WHEN + " +1 +-$");
      assertThat(hq.koco("flows", "--query", "origin = \"eu\"").out()).contains("gdpr.yaml");

      assertThat(eu.koco("peers", "--remove", "hq").exitCode()).isEqualTo(Exit.OK);
    }
  }

  @Test
  void badPeersAreUsageErrorsInOneLine() {
    Cli role = us.koco("peers", "--add", "apac", "--url", eu.url, "--role", "boss");
    assertThat(role.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(role.err())
        .isEqualTo(
            "koco: --role must be provider (pull its export), contributor (accept its pushes)"
                + " or consumer (push the export to it), not 'boss'"
                + NL);

    Cli own = us.koco("peers", "--add", "us", "--url", eu.url, "--role", "provider");
    assertThat(own.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(own.err()).startsWith("koco: 400 ").contains("own name");
    assertThat(own.err().lines()).hasSize(1);

    Cli url =
        us.koco("peers", "--add", "apac", "--url", "file:///etc/passwd", "--role", "provider");
    assertThat(url.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(url.err()).startsWith("koco: 400 ").contains("url");
    assertThat(url.err().lines()).hasSize(1);
    assertThat(us.koco("peers").out()).doesNotContainPattern("(?m)^(us|apac) ");
  }

  @Test
  void jsonIsTheRegistrysAnswer() {
    assertThat(us.koco("peers", "--add", "lab", "--role", "contributor", "--json").exitCode())
        .isEqualTo(Exit.OK);
    try {
      JsonNode peers = Json.read(us.koco("peers", "--json").out());
      JsonNode lab = null;
      for (JsonNode p : peers) {
        if (p.get("name").asString().equals("lab")) {
          lab = p;
        }
      }
      assertThat(lab).as(peers.toString()).isNotNull();
      assertThat(lab.get("role").asString()).isEqualTo("contributor");
      assertThat(lab.get("url").isNull()).isTrue();
      assertThat(lab.get("added").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(lab.get("nodes").asInt()).isZero();
    } finally {
      assertThat(Json.read(us.koco("peers", "--remove", "lab", "--json").out()))
          .isEqualTo(Json.read("{\"peer\":\"lab\",\"removed\":true}"));
    }
  }
}
