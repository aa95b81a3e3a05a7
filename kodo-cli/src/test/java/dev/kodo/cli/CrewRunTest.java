package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code koco run crew.yaml} (docs/flows.md#serving-crews): a crew with problems exits 2 printing
 * each as {@code file:line:column: message}; a crew whose {@code ${VAR}} is set nowhere exits 2
 * naming it; {@code --set} sets it, and its value is printed nowhere. And where {@code koco serve}
 * finds the example crews.
 */
class CrewRunTest {

  static Path exampleCrew(Path dir) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("examples/crews"))) {
      root = root.getParent();
    }
    return Files.copy(
        root.resolve("examples/crews/competitor-analysis.yaml"), dir.resolve("competitor.yaml"));
  }

  @Test
  void aCrewWithProblemsExitsTwoWithFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            name: Bad
            agentz: {}
            """);

    Cli cli = Cli.run("run", bad.toString());

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .containsPattern(
            "(?m)^(koco: )?" + java.util.regex.Pattern.quote(bad.toString()) + ":\\d+:\\d+: ");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aMissingVariableExitsTwoNamingIt(@TempDir Path dir) throws Exception {
    assumeTrue(System.getenv("OPENAI_API_KEY") == null, "OPENAI_API_KEY is set in the environment");
    Path crew = exampleCrew(dir);

    Cli cli = Cli.run("run", crew.toString(), "-i", "company=ACME");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .contains(
            "koco: competitor cannot start: set OPENAI_API_KEY (in the environment or as"
                + " kodo.secrets.OPENAI_API_KEY)");
    assertThat(cli.out()).as("nothing ran").isEmpty();
  }

  @Test
  void setGivesTheVariableAndItsValueIsPrintedNowhere(@TempDir Path dir) throws Exception {
    Path crew = exampleCrew(dir);
    String key = "sk-cli-" + UUID.randomUUID();

    Cli cli =
        Cli.run(
            "run",
            crew.toString(),
            "-i",
            "company=ACME",
            "--set",
            "OPENAI_API_KEY=" + key,
            // Nothing listens there: the run fails at its first model call, on loopback.
            "--set",
            "OPENAI_BASE_URL=http://127.0.0.1:9/v1",
            "--answer",
            "approve=true");

    assertThat(cli.exitCode()).as(cli.err()).isNotEqualTo(Exit.USAGE);
    assertThat(cli.out()).contains("flow          Competitor analysis").doesNotContain(key);
    assertThat(cli.err()).doesNotContain(key);
  }

  @Test
  void aMalformedSetIsAUsageErrorThatDoesNotEchoTheValue() {
    Cli cli = Cli.run("run", "dev.kodo.examples.MarketReport", "--set", "bad-name=sk-secret");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("--set bad-name:").doesNotContain("sk-secret");
    assertThat(Cli.run("run", "dev.kodo.examples.MarketReport", "--set", "novalue").err())
        .contains("--set needs NAME=VALUE");
  }

  @Test
  void serveOffersTheExampleCrewsFoundAboveKocosCode() {
    String flows = ServerCommand.Serve.exampleFlows();
    assertThat(flows).startsWith("classpath:*,").endsWith("examples/crews");
    assertThat(
            Path.of(flows.substring("classpath:*,".length())).resolve("competitor-analysis.yaml"))
        .isRegularFile();
  }

  @Test
  void serveWithoutTheExamplesDirectoryOffersTheClassesOnly(@TempDir Path dir) {
    String before = System.getProperty("koco.home");
    System.setProperty("koco.home", dir.toString());
    try {
      assertThat(ServerCommand.Serve.exampleFlows()).isEqualTo("classpath:*");
    } finally {
      if (before == null) {
        System.clearProperty("koco.home");
      } else {
        System.setProperty("koco.home", before);
      }
    }
  }

  @Test
  void nodeFlowsNamingAMissingCrewOrDirectoryIsAUsageError(@TempDir Path dir) {
    Cli yaml = Cli.run("node", "--flows", dir.resolve("nowhere.yaml").toString());
    assertThat(yaml.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(yaml.err())
        .contains("--flows: flow source file")
        .contains("nowhere.yaml does not exist");

    Cli directory = Cli.run("node", "--flows", dir.resolve("nowhere") + "/");
    assertThat(directory.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(directory.err()).contains("--flows: flow directory").contains("does not exist");
  }
}
