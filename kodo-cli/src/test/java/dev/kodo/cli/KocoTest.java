package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KocoTest {

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    Cli cli = Cli.run("--help");

    assertThat(cli.exitCode()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .contains("run", "serve", "node", "flows", "launch", "status", "follow", "runs")
        .contains("lock", "kill", "restart", "ack", "delete", "share", "cleanup")
        .contains("registry", "nodes", "register", "unregister", "peers", "$KODO_REGISTRY")
        .contains("Exit codes:")
        .containsPattern("  4 +no node or registry answers at the URL")
        .containsPattern("130 +interrupted by Ctrl-C");
  }

  @Test
  void everyCommandDocumentsTheExitCodes() {
    for (String command :
        new String[] {
          "run",
          "serve",
          "node",
          "flows",
          "launch",
          "status",
          "follow",
          "runs",
          "lock",
          "kill",
          "restart",
          "ack",
          "delete",
          "share",
          "cleanup",
          "registry",
          "nodes",
          "register",
          "unregister",
          "peers"
        }) {
      assertThat(Cli.run(command, "--help").out())
          .as(command)
          .contains("Exit codes:")
          .containsPattern("  2 +bad usage");
    }
  }

  @Test
  void aCommandBuiltAloneParsesAndHelpsAsInTheWholeTree() {
    // koco builds only the command its first argument names (Koco.named); `koco help X` builds
    // them all: both must say the same, for every command and its subcommands.
    for (Class<?> type : Koco.COMMANDS) {
      picocli.CommandLine.Command command = type.getAnnotation(picocli.CommandLine.Command.class);
      if (command.helpCommand()) continue;
      assertThat(Koco.named(command.name())).as(command.name()).isEqualTo(type);
      for (String alias : command.aliases()) assertThat(Koco.named(alias)).isEqualTo(type);
      Cli alone = Cli.run(command.name(), "--help");
      Cli inTree = Cli.run("help", command.name());
      assertThat(alone.exitCode()).as(command.name()).isEqualTo(Exit.OK);
      assertThat(alone.out()).as(command.name()).isEqualTo(inTree.out());
    }
    assertThat(Koco.named("flws")).isNull();
    assertThat(Koco.named("--help")).isNull();
    assertThat(Koco.named("help", "flows")).isNull();
    Cli misspelt = Cli.run("flws");
    assertThat(misspelt.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(misspelt.err()).contains("flows"); // suggested from the whole tree
  }

  @Test
  void noCommandIsAUsageError() {
    Cli cli = Cli.run();

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("missing a command").contains("koco --help");
  }

  @Test
  void anUnknownOptionIsAUsageErrorWithAHint() {
    Cli cli = Cli.run("run", "--inptu", "a=b", "dev.kodo.examples.MarketReport");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .contains("'--inptu'")
        .contains("Possible solutions: --input")
        .contains("Try 'koco run --help'");
  }

  @Test
  void serverCommandsRefuseBadOptionsBeforeStartingAnything(@TempDir Path dir) throws Exception {
    assertThat(Cli.run("serve", "--port", "70000").err())
        .contains("--port must be between 0 and 65535");
    assertThat(Cli.run("serve", "--port", "http").exitCode()).isEqualTo(Exit.USAGE);

    Cli missingConfig = Cli.run("serve", "--config", dir.resolve("kodo.yaml").toString());
    assertThat(missingConfig.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(missingConfig.err()).contains("kodo.yaml does not exist");

    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThat(Cli.run("node", "--data", file.toString()).err())
        .contains("is a file, not a directory");

    Cli badFlow = Cli.run("serve", "--flows", "dev.kodo.examples.MarketReport,com.acme.Missing");
    assertThat(badFlow.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(badFlow.err()).contains("flow class com.acme.Missing is not on the class path");
  }

  @Test
  void serverOptionsBecomeSpringArguments(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("kodo.yaml"), "kodo:\n  node:\n    name: n1\n");
    ServerOptions.Node options = new ServerOptions.Node();
    options.port = 0;
    options.data = dir.resolve("data");
    options.config = config;
    options.flows = List.of("dev.kodo.examples.MarketReport", " classpath:*");

    assertThat(options.springArgs())
        .containsExactly(
            "--server.port=0",
            "--kodo.data=" + dir.resolve("data").toAbsolutePath(),
            "--spring.config.additional-location=file:" + config.toAbsolutePath(),
            "--kodo.flows=dev.kodo.examples.MarketReport,classpath:*",
            "--spring.main.log-startup-info=false",
            "--logging.level.root=WARN",
            "--logging.level.dev.kodo=INFO",
            "--logging.level.org.springdoc=ERROR");
  }

  @Test
  void aServiceThatAnswersSomethingElseIsSaidInOneLine() throws Exception {
    // another service on the port, or a node of an incompatible version: 200s with JSON koco
    // cannot read are named as the service's, never an "unexpected error"
    com.sun.net.httpserver.HttpServer other =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext(
        "/",
        x -> {
          byte[] body = "{\"total\": null, \"items\": [], \"state\": 7}".getBytes();
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, body.length);
          try (var out = x.getResponseBody()) {
            out.write(body);
          }
        });
    other.start();
    try {
      String url = "http://127.0.0.1:" + other.getAddress().getPort();
      for (String[] args : new String[][] {{"flows"}, {"status", "f1"}, {"runs"}}) {
        Cli cli = Cli.runAt("--node", url, args);
        assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(Exit.FAILED);
        assertThat(cli.err())
            .as(String.join(" ", args))
            .startsWith("koco: the node at " + url + " answered with JSON that is not what Kodo")
            .doesNotContain("unexpected error");
        assertThat(cli.err().lines()).hasSize(1);
      }
    } finally {
      other.stop(0);
    }
  }

  @Test
  void aNodeThatDoesNotAnswerIsSaidInOneLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    for (String[] args :
        new String[][] {
          {"flows"},
          {"status", "f1"},
          {"follow", "f1"},
          {"runs"},
          {"launch", "a.B"},
          {"lock", "f1", "--show"},
          {"kill", "f1"},
          {"restart", "f1"},
          {"ack", "f1"},
          {"delete", "f1", "--yes"},
          {"share", "f1", "--with", "ada"},
          {"cleanup"}
        }) {
      Cli cli = Cli.runAt("--node", url, args);
      assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(Exit.UNREACHABLE);
      assertThat(cli.err())
          .as(String.join(" ", args))
          .startsWith("koco: no node answers at " + url)
          .doesNotContain("Exception");
      assertThat(cli.err().lines()).hasSize(1);
    }
  }

  @Test
  void aBadNodeUrlIsAUsageError() {
    Cli cli = Cli.run("flows", "--node", "ftp://somewhere");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("--node: 'ftp://somewhere' is not a node URL");
  }

  @Test
  void anUnknownRunStateIsAUsageError() {
    Cli cli = Cli.run("runs", "--state", "finished", "--node", "http://127.0.0.1:1");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("unknown run state 'finished'");
  }
}
