package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.RegistryPeer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry commands where no registry is needed: options, defaults, usage errors, and what is
 * not a registry.
 */
class RegistryCommandsTest {

  @Test
  void theRegistryUrlIsTheOptionElseTheFirstEntryOfKodoRegistryElseTheNodesPort() {
    assertThat(
            RegistryUrlOptions.resolve(
                "http://reg:3371", Map.of("KODO_REGISTRY", "http://other:1")))
        .isEqualTo("http://reg:3371");
    assertThat(
            RegistryUrlOptions.resolve(
                null, Map.of("KODO_REGISTRY", " http://a:3371 , http://b:3371")))
        .isEqualTo("http://a:3371");
    assertThat(RegistryUrlOptions.resolve("", Map.of("KODO_REGISTRY", ",http://b:3371")))
        .isEqualTo("http://b:3371");
    assertThat(RegistryUrlOptions.resolve(null, Map.of("KODO_REGISTRY", " ")))
        .isEqualTo("http://127.0.0.1:3370");
    assertThat(RegistryUrlOptions.resolve(null, Map.of())).isEqualTo("http://127.0.0.1:3370");
  }

  @Test
  void registryServerOptionsBecomeTheRegistrysSpringArguments(@TempDir Path dir) throws Exception {
    ServerOptions.Registry options = new ServerOptions.Registry();
    options.port = 0;
    options.data = dir.resolve("reg");
    options.name = "eu-west";
    options.verbose = true;

    assertThat(options.springArgs())
        .containsExactly(
            "--server.port=0",
            "--kodo.registry.data=" + dir.resolve("reg").toAbsolutePath(),
            "--kodo.registry.name=eu-west");
  }

  @Test
  void registryRefusesBadOptionsBeforeStartingAnything(@TempDir Path dir) throws Exception {
    assertThat(Cli.run("registry", "--port", "-1").err())
        .contains("--port must be between 0 and 65535, not -1");
    Path file = Files.writeString(dir.resolve("file"), "x");
    Cli cli = Cli.run("registry", "--data", file.toString());
    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("is a file, not a directory");
    assertThat(Cli.run("registry", "--name", " ").err()).contains("--name must be 1 to 64 letters");
    assertThat(Cli.run("serve", "--name", "a b").err())
        .contains("--name must be 1 to 64 letters")
        .contains("'a b'");
    Cli flows = Cli.run("registry", "--flows", "a.B");
    assertThat(flows.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(flows.err()).contains("Unknown options: '--flows', 'a.B'");
  }

  @Test
  void registryHelpNeitherLoadsSpringNorStartsAnything() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-verbose:class",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.kodo.cli.Koco",
                "registry",
                "--help"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isEqualTo(Exit.OK);
    assertThat(out)
        .contains("Usage: koco registry")
        .contains("--port=PORT")
        .contains("3371")
        .contains("--data=DIR")
        .contains("--name=NAME")
        .contains("--config=FILE")
        .contains("Exit codes:");
    assertThat(out)
        .doesNotContain("org.springframework")
        .doesNotContain("dev.kodo.cli.Servers")
        .doesNotContain("dev.kodo.registry");
  }

  @Test
  void aRegistryThatDoesNotAnswerIsSaidInOneLine() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    for (String[] args :
        new String[][] {
          {"nodes"},
          {"flows", "--registry", url},
          {"register", "alpha"},
          {"unregister", "alpha"},
          {"peers"},
          {"peers", "--sync", "eu"}
        }) {
      List<String> all = new ArrayList<>(List.of(args));
      if (!all.contains("--registry")) {
        all.addAll(List.of("--registry", url));
      }
      Cli cli = Cli.run(all.toArray(String[]::new));
      assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(Exit.UNREACHABLE);
      assertThat(cli.err())
          .as(String.join(" ", args))
          .isEqualTo(
              "koco: no registry answers at "
                  + url
                  + " (is `koco registry` running?)"
                  + System.lineSeparator());
    }
  }

  @Test
  void somethingThatIsNoRegistryIsSaidSoInsteadOfNotFound() throws IOException {
    try (FakeNode node = new FakeNode()) {
      for (String[] args :
          new String[][] {{"nodes"}, {"flows", "--registry"}, {"unregister", "alpha"}, {"peers"}}) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.contains("--registry")) {
          all.add(node.url());
        } else {
          all.addAll(List.of("--registry", node.url()));
        }
        Cli cli = Cli.run(all.toArray(String[]::new));
        assertThat(cli.exitCode())
            .as(String.join(" ", args) + ": " + cli.err())
            .isEqualTo(Exit.NODE);
        assertThat(cli.err())
            .as(String.join(" ", args))
            .startsWith(
                "koco: no registry at "
                    + node.url()
                    + ": what answers there has no GET /registry/state (a node started with `koco node` serves none");
        assertThat(cli.err().lines()).hasSize(1);
      }

      node.on(
              "GET",
              "/registry/state",
              new FakeNode.Answer(
                  200,
                  "{\"name\":\"r\",\"status\":\"ok\",\"nodes\":0,\"online\":0,\"flows\":0,\"heartbeatTimeout\":300}"))
          .on(
              "DELETE",
              "/registry/register/ghost",
              new FakeNode.Answer(
                  404,
                  "{\"title\":\"Node not found\",\"status\":404,\"detail\":\"no node 'ghost'\"}"));
      Cli unknown = Cli.run("unregister", "ghost", "--registry", node.url());
      assertThat(unknown.exitCode()).isEqualTo(Exit.NODE);
      assertThat(unknown.err())
          .isEqualTo("koco: 404 Node not found — no node 'ghost'" + System.lineSeparator());
    }
  }

  @Test
  void listOptionsAreCheckedAndQueryNeedsARegistry() {
    Cli query = Cli.run("flows", "--query", "online", "--node", "http://127.0.0.1:1");
    assertThat(query.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(query.err()).contains("--query needs --registry");

    Cli both = Cli.run("flows", "--node", "http://127.0.0.1:1", "--registry", "http://127.0.0.1:2");
    assertThat(both.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(both.err()).contains("--node and --registry cannot be combined");

    Cli show = Cli.run("flows", "--registry", "http://127.0.0.1:1", "show", "a.B");
    assertThat(show.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(show.err())
        .contains(
            "koco flows show reads a flow from its node, not from a registry: use --node URL");

    Cli perPage = Cli.run("nodes", "--per-page", "0", "--registry", "http://127.0.0.1:1");
    assertThat(perPage.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(perPage.err()).contains("--per-page must be between 1 and 1000, not 0");

    Cli page = Cli.run("flows", "--registry", "http://127.0.0.1:1", "--page", "-2");
    assertThat(page.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(page.err()).contains("--page must be 0 or more, not -2");

    Cli url = Cli.run("nodes", "--registry", "ftp://somewhere");
    assertThat(url.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(url.err()).contains("--registry: 'ftp://somewhere' is not a registry URL");
  }

  @Test
  void percentagesAndMissingValuesReadWell() {
    assertThat(NodesCommand.percent(null)).isEqualTo("-");
    assertThat(NodesCommand.percent(1.0)).isEqualTo("100%");
    assertThat(NodesCommand.percent(0.995)).isEqualTo("99.5%");
    assertThat(NodesCommand.orDash(null)).isEqualTo("-");
  }

  @Test
  void peersUsageErrorsAreOneLineBeforeAnyRegistryIsAsked() {
    peersUsage(
        "--add needs --role provider, contributor or consumer",
        "--add",
        "eu",
        "--url",
        "http://eu:3371");
    peersUsage(
        "--add eu needs --url: a provider's base URL, e.g. http://127.0.0.1:3371",
        "--add",
        "eu",
        "--role",
        "provider");
    peersUsage(
        "--add eu needs --url: a consumer's base URL, e.g. http://127.0.0.1:3371",
        "--add",
        "eu",
        "--role",
        "consumer");
    peersUsage(
        "--role must be provider (pull its export), contributor (accept its pushes) or consumer (push the export to it),"
            + " not 'Provider'",
        "--add",
        "eu",
        "--role",
        "Provider",
        "--url",
        "http://eu:3371");
    peersUsage(
        "--add and --sync cannot be combined: give one of them",
        "--add",
        "eu",
        "--role",
        "provider",
        "--url",
        "http://eu:3371",
        "--sync",
        "eu");
    peersUsage(
        "--remove and --sync cannot be combined: give one of them",
        "--remove",
        "eu",
        "--sync",
        "eu");
    peersUsage("--url goes with --add NAME", "--url", "http://eu:3371");
    peersUsage("--role goes with --add NAME", "--sync", "eu", "--role", "provider");
    peersUsage("--remove needs the peer's name (its kodo.registry.name)", "--remove", " ");
  }

  /**
   * {@code koco peers args} against a registry that is not there: the usage error comes first,
   * alone.
   */
  private static void peersUsage(String message, String... args) {
    List<String> all = new ArrayList<>(List.of("peers", "--registry", "http://127.0.0.1:1"));
    all.addAll(List.of(args));
    Cli cli = Cli.run(all.toArray(String[]::new));
    assertThat(cli.exitCode()).as(String.join(" ", all) + ": " + cli.err()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .as(String.join(" ", all))
        .isEqualTo("koco: " + message + System.lineSeparator());
  }

  @Test
  void whatAddingAndSyncingAPeerMeantIsSaidInOneSentencePerRole() {
    Instant at = Instant.parse("2026-11-27T10:00:00Z");
    assertThat(
            PeersCommand.added(new RegistryPeer("lab", null, "contributor", at, null, null, 0, 0)))
        .isEqualTo(
            "peer lab added as a contributor: it may push its export to this registry, once it has this registry as a consumer");
    assertThat(
            PeersCommand.synced(new RegistryPeer("lab", null, "contributor", at, null, null, 0, 0)))
        .isEqualTo(
            "lab is a contributor: it pushes to this registry by itself; nothing pushed yet");
    assertThat(
            PeersCommand.synced(
                new RegistryPeer(
                    "eu",
                    "http://eu:3371",
                    "provider",
                    at,
                    at,
                    "2 record(s) left out, e.g. nodes[1]: registered cannot be null",
                    12,
                    2)))
        .isEqualTo(
            "synced with eu: 12 nodes; 2 record(s) left out, e.g. nodes[1]: registered cannot be null");
    assertThat(
            PeersCommand.synced(
                new RegistryPeer("hq", "http://hq:3371", "consumer", at, at, null, 3, 1)))
        .isEqualTo("synced with hq: it took 3 nodes and left 1 out");
  }
}
