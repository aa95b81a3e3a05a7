package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code koco nodes}, {@code flows --registry}, {@code register} and {@code unregister} against a
 * real registry on a loopback port.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryCommandsIT {
  private static final String NL = System.lineSeparator();
  private static final String FLOWS =
      """
      [{"path":"reports/quarterly.yaml","name":"Quarterly report","description":"Writes a finance report","author":"Ann",
        "organization":"Acme","release":"1.2.0","tags":["finance","reports"]},
       {"path":"hello.yaml","name":"Hello","description":"Greets","author":"Bob","organization":"Acme","release":"0.1.0","tags":["demo"]},
       {"path":"ledger.yaml","name":"Ledger check","description":"Checks the books","author":"Ann","organization":"Acme",
        "release":"2.0.0","tags":["finance"]}]""";

  @TempDir static Path data;
  static TestRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = TestRegistry.start(data);
    assertThat(registry.koco("register", "acme-eu").exitCode()).isEqualTo(Exit.OK);
    registry.connect("acme-eu", "http://127.0.0.1:3390", FLOWS);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void staleNodesAreShownThenRemoved(@TempDir Path own) throws Exception {
    try (TestRegistry brief =
        TestRegistry.start(
            own, "--kodo.registry.stale-after=1s", "--kodo.registry.cleanup-interval=0")) {
      assertThat(brief.koco("register", "forgotten").exitCode()).isEqualTo(Exit.OK);
      Thread.sleep(1_200);
      Cli preview = brief.koco("nodes", "--stale");
      assertThat(preview.exitCode()).as(preview.err()).isEqualTo(Exit.OK);
      assertThat(preview.out())
          .isEqualTo(
              "1 stale node: forgotten (nodes silent for more than 1s are stale);"
                  + " koco nodes --remove-stale removes it"
                  + NL);
      assertThat(brief.koco("nodes").out()).contains("forgotten");
      Cli removed = brief.koco("nodes", "--remove-stale");
      assertThat(removed.out())
          .isEqualTo(
              "removed 1 stale node: forgotten (nodes silent for more than 1s are stale)" + NL);
      assertThat(brief.koco("nodes", "--stale").out()).startsWith("no stale nodes");
      assertThat(brief.koco("nodes", "--stale", "--remove-stale").exitCode()).isEqualTo(Exit.USAGE);
    }
  }

  @Test
  void aRegisteredNodeShowsOfflineUntilItConnects() {
    Cli registered = registry.koco("register", "lonely");
    assertThat(registered.exitCode()).as(registered.err()).isEqualTo(Exit.OK);
    assertThat(registered.out())
        .isEqualTo(
            "node lonely is registered; it shows offline until it connects"
                + " (its kodo.registries must name this registry)"
                + NL);

    Cli nodes = registry.koco("nodes", "--search", "lonely");
    assertThat(nodes.exitCode()).as(nodes.err()).isEqualTo(Exit.OK);
    assertThat(nodes.out().lines().findFirst())
        .hasValue("NAME    ONLINE  URL  FLOWS  AVAILABILITY  TAGS  ORIGIN");
    assertThat(nodes.out())
        .containsPattern("(?m)^lonely +no +- +0 +- +-$")
        .contains("match 'lonely'");
  }

  @Test
  void nodesListsEveryNodeWithWhereItIsAndWhatItOffers() {
    Cli nodes = registry.koco("nodes", "--query", "online and flows >= 1");

    assertThat(nodes.exitCode()).as(nodes.err()).isEqualTo(Exit.OK);
    assertThat(nodes.out())
        .containsPattern("(?m)^acme-eu +yes +http://127\\.0\\.0\\.1:3390 +3 +- +-$")
        .doesNotContain("lonely")
        .containsPattern("1 of \\d+ nodes match" + NL + "$");
  }

  @Test
  void flowsFromTheRegistryNameTheirNodeAndWhereToLaunchThem() {
    Cli flows = registry.koco("flows", "--query", "node = \"acme-eu\"");

    assertThat(flows.exitCode()).as(flows.err()).isEqualTo(Exit.OK);
    assertThat(flows.out().lines().findFirst())
        .hasValueSatisfying(
            h ->
                assertThat(h)
                    .startsWith("NODE")
                    .containsSubsequence(
                        "PATH", "NAME", "RELEASE", "ONLINE", "URL", "TAGS", "ORIGIN"));
    assertThat(flows.out())
        .containsPattern(
            "(?m)^acme-eu +hello\\.yaml +Hello +0\\.1\\.0 +yes +http://127\\.0\\.0\\.1:3390 +demo +-$")
        .containsPattern(
            "(?m)^acme-eu +reports/quarterly\\.yaml +Quarterly report +1\\.2\\.0 +yes +http://127\\.0\\.0\\.1:3390 +finance, reports +-$")
        .containsPattern("(?m)^acme-eu +ledger\\.yaml +Ledger check +2\\.0\\.0 +yes")
        .contains("3 of ")
        .contains("flows match; koco flows show PATH --node URL for one flow's inputs");
  }

  @Test
  void flowsSearchAndQueryNarrowTheList() {
    Cli searched = registry.koco("flows", "--search", "quarterly");
    assertThat(searched.exitCode()).as(searched.err()).isEqualTo(Exit.OK);
    assertThat(paths(searched)).containsExactly("reports/quarterly.yaml");
    assertThat(searched.out()).containsPattern("1 of \\d+ flows match 'quarterly'");

    Cli queried =
        registry.koco("flows", "--query", "tags contains \"finance\" and release >= \"2.0.0\"");
    assertThat(queried.exitCode()).as(queried.err()).isEqualTo(Exit.OK);
    assertThat(paths(queried)).containsExactly("ledger.yaml");

    Cli both =
        registry.koco(
            "flows",
            "--search",
            "Ann",
            "--query",
            "tags contains \"finance\"",
            "--by",
            "release desc");
    assertThat(paths(both)).containsExactly("ledger.yaml", "reports/quarterly.yaml");

    Cli none = registry.koco("flows", "--search", "no-such-flow-anywhere");
    assertThat(none.exitCode()).isEqualTo(Exit.OK);
    assertThat(none.out()).startsWith("no flow matches 'no-such-flow-anywhere' (of ");
  }

  @Test
  void flowsArePagedWithAHintForTheNextPage() {
    Cli first =
        registry.koco("flows", "--query", "node = \"acme-eu\"", "--by", "path", "--per-page", "2");
    assertThat(paths(first)).containsExactly("hello.yaml", "ledger.yaml");
    assertThat(first.out())
        .contains("3 of ")
        .contains("flows match (1–2 shown; --page 1 for more)");

    Cli second =
        registry.koco(
            "flows",
            "--query",
            "node = \"acme-eu\"",
            "--by",
            "path",
            "--per-page",
            "2",
            "--page",
            "1");
    assertThat(paths(second)).containsExactly("reports/quarterly.yaml");
    assertThat(second.out()).contains("(3–3 shown)");
  }

  @Test
  void aMalformedQueryIsAUsageErrorNamingTheColumn() {
    Cli cli = registry.koco("flows", "--query", "online and tags contains");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.err())
        .startsWith("koco: 400 Invalid query — invalid parameter 'query' at column 25: ");

    Cli nodes = registry.koco("nodes", "--query", "nosuchfield = 1");
    assertThat(nodes.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(nodes.err())
        .startsWith("koco: 400 Invalid query — invalid parameter 'query' at column 1: ");
  }

  @Test
  void unregisteringAnUnknownNodeIsTheRegistrysNotFound() {
    Cli cli = registry.koco("unregister", "ghost");

    assertThat(cli.exitCode()).isEqualTo(Exit.NODE);
    assertThat(cli.err()).isEqualTo("koco: 404 Node not found — no node 'ghost'" + NL);
  }

  @Test
  void unregisterRemovesTheNodeAndItsFlows() {
    assertThat(registry.koco("register", "short-lived").exitCode()).isEqualTo(Exit.OK);
    registry.connect(
        "short-lived",
        "http://127.0.0.1:3391",
        "[{\"path\":\"brief.yaml\",\"name\":\"Brief\",\"release\":\"1.0.0\"}]");
    assertThat(paths(registry.koco("flows", "--search", "brief"))).containsExactly("brief.yaml");

    Cli cli = registry.koco("unregister", "short-lived");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .isEqualTo(
            "node short-lived unregistered: it and its flows are gone from the registry" + NL);
    assertThat(registry.koco("flows", "--search", "brief").out())
        .startsWith("no flow matches 'brief'");
    assertThat(registry.koco("nodes", "--search", "short-lived").out())
        .startsWith("no node matches 'short-lived'");
  }

  @Test
  void aBadNodeNameIsTheRegistrysUsageError() {
    Cli cli = registry.koco("register", "bad name!");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).startsWith("koco: 400 ").contains("node");
  }

  @Test
  void jsonOutputIsTheRegistrysAnswer() {
    JsonNode flows =
        Json.read(registry.koco("flows", "--query", "node = \"acme-eu\"", "--json").out());
    assertThat(flows.get("filtered").asInt()).isEqualTo(3);
    JsonNode first = flows.get("items").get(0);
    assertThat(first.get("node").asString()).isEqualTo("acme-eu");
    assertThat(first.get("url").asString()).isEqualTo("http://127.0.0.1:3390");
    assertThat(first.get("online").asBoolean()).isTrue();
    assertThat(first.get("heartbeat").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    JsonNode nodes = Json.read(registry.koco("nodes", "--search", "acme-eu", "--json").out());
    assertThat(nodes.get("items").get(0).get("flows").asInt()).isEqualTo(3);

    JsonNode registered = Json.read(registry.koco("register", "json-node", "--json").out());
    assertThat(registered.get("name").asString()).isEqualTo("json-node");
    assertThat(registered.get("online").asBoolean()).isFalse();
    assertThat(Json.read(registry.koco("unregister", "json-node", "--json").out()))
        .isEqualTo(Json.read("{\"node\":\"json-node\",\"unregistered\":true}"));
  }

  @Test
  void aDisconnectedNodesFlowsShowOffline() {
    assertThat(registry.koco("register", "leaving").exitCode()).isEqualTo(Exit.OK);
    registry.connect(
        "leaving",
        "http://127.0.0.1:3392",
        "[{\"path\":\"bye.yaml\",\"name\":\"Bye\",\"release\":\"1.0.0\"}]");
    registry.disconnect("leaving");

    assertThat(registry.koco("flows", "--search", "bye").out())
        .containsPattern("(?m)^leaving +bye\\.yaml +Bye +1\\.0\\.0 +no +http");
    assertThat(registry.koco("nodes", "--query", "online").out()).doesNotContain("leaving");
  }

  private static List<String> paths(Cli cli) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    List<String> out = new ArrayList<>();
    cli.out().lines().skip(1).takeWhile(l -> !l.isBlank()).forEach(l -> out.add(l.split(" +")[1]));
    return out;
  }
}
