package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RunCommandTest {

  @Test
  void aFlowThatEndsDoneExitsZeroAndPrintsItsReport() {
    Cli cli =
        Cli.run(
            "run", "dev.kodo.examples.MarketReport", "--input", "company=ACME", "-i", "quarter=Q2");

    assertThat(cli.exitCode()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .contains("inputs        company=ACME, quarter=Q2, year=2026, risks=true")
        .contains("flow          Market report 1.1.0 (dev.kodo.examples.MarketReport)")
        .contains("[####################] 100%  report ready")
        .contains("final         done in")
        .contains("# ACME — Q2 2026 market report");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void aFlowThatFailsExitsOneWithItsMessageAndWhere() {
    Cli cli = Cli.run("run", "dev.kodo.examples.FailingFlow");

    assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(cli.out())
        .contains("stderr        warning: supplier database answers slowly")
        .contains("fatal         IllegalStateException: supplier database is unreachable")
        .contains("at dev.kodo.examples.FailingFlow.run(FailingFlow.java:");
  }

  @Test
  void invalidInputsExitTwoNamingEachFieldAndListingTheInputs() {
    Cli cli =
        Cli.run(
            "run",
            "dev.kodo.examples.ResearchSteps",
            "--input",
            "topic=x",
            "--input",
            "steps=many");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .contains("invalid inputs for dev.kodo.examples.ResearchSteps")
        .contains("- topic: must be at least 2 characters long")
        .contains("- steps: must be a number, not 'many'")
        .contains("pause  integer (0..10000)");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aMissingRequiredInputExitsTwo() {
    Cli cli = Cli.run("run", "dev.kodo.examples.MarketReport");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("- company: is required");
  }

  @Test
  void anUnknownFlowClassIsAUsageError() {
    Cli cli = Cli.run("run", "com.acme.Nope");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("koco: flow class com.acme.Nope is not on the classpath");
  }

  @Test
  void aMalformedInputIsAUsageError() {
    Cli cli = Cli.run("run", "dev.kodo.examples.MarketReport", "--input", "company");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("--input 'company' is not name=value");
  }

  @Test
  void jsonModePrintsOneEventPerLine() {
    Cli cli =
        Cli.run(
            "run",
            "dev.kodo.examples.MarketReport",
            "--inputs-json",
            "{\"company\":\"ACME\",\"year\":2030}",
            "--json");

    assertThat(cli.exitCode()).isEqualTo(Exit.OK);
    var lines = cli.out().lines().toList();
    assertThat(lines).hasSize(7);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode event = Json.read(lines.get(i));
      assertThat(event.get("seq").asLong()).isEqualTo(i + 1);
    }
    assertThat(Json.read(lines.getFirst()).at("/data/year").asLong()).isEqualTo(2030);
    assertThat(Json.read(lines.getLast()).get("type").asString()).isEqualTo("final");
  }

  @Test
  void aJavaFileIsCompiledAndRun(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("Hello.java");
    Files.writeString(
        file,
        """
        import dev.kodo.sdk.*;

        public class Hello implements Flow {
          public FlowSpec spec() {
            return FlowSpec.builder("Hello").inputs(Form.builder().text("name", f -> f.required())).build();
          }

          public Result run(FlowContext ctx) {
            ctx.progress(0.5, "greeting");
            System.out.println("about to greet");
            return Result.markdown("# Hello, " + ctx.inputs().text("name"));
          }
        }
        """);

    Cli cli = Cli.run("run", file.toString(), "--input", "name=Ada");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .contains("flow          Hello 0.1.0 (Hello)")
        .contains("stdout        about to greet")
        .contains("# Hello, Ada");
  }

  @Test
  void aJavaFileThatDoesNotCompileIsAUsageErrorWithTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("Broken.java");
    Files.writeString(file, "public class Broken implements dev.kodo.sdk.Flow {\n  nope\n}\n");

    Cli cli = Cli.run("run", file.toString());

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("does not compile").contains("Broken.java:2:");
  }

  @Test
  void aFlowThatLocksTakesItsAnswerFromAnswerOptions() {
    Cli cli =
        Cli.run(
            "run", "dev.kodo.examples.PlanApproval", "-i", "goal=x", "--answer", "approve=true");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .containsPattern("lock +waiting for input: Approve the plan for: x \\(lock \\w+, until ")
        .containsPattern("candidate +answer \\w+ to lock \\w+: approve=true")
        .containsPattern("unlock +lock \\w+ released: answer \\w+ accepted")
        .contains("# Plan carried out");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void eachLockTakesTheAnswersItAsksForAndUnusedOnesAreNoted() {
    Cli cli =
        Cli.run(
            "run",
            "dev.kodo.examples.OrderIntake",
            "-i",
            "product=teapot",
            "--answer",
            "quantity=2",
            "--answer",
            "name=Ada",
            "--answer",
            "street=Main St 1",
            "--answer",
            "country=GB",
            "--answer",
            "postcode=SW1A 1AA",
            "--answer",
            "colour=red");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out()).contains("| Ship to | Ada, Main St 1, SW1A 1AA GB |");
    assertThat(cli.err())
        .isEqualTo("koco: note: no lock asked for --answer colour" + System.lineSeparator());
  }

  @Test
  void aDeniedAnswerWithoutATerminalKillsTheRunAndExitsOne() throws Exception {
    try (AutoCloseable t =
        Terminal.install(Terminal.scripted(false, "", new PrintWriter(new StringWriter())))) {
      Cli cli =
          Cli.run(
              "run", "dev.kodo.examples.PlanApproval", "-i", "goal=x", "--answer", "approve=false");

      assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
      assertThat(cli.out())
          .containsPattern(
              "unlock-deny +answer \\w+ to lock \\w+ denied: comment: say why you reject the plan")
          .contains("kill          run killed by local");
      assertThat(cli.err())
          .contains(
              "the flow denied the answer given with --answer (see unlock-deny above); killing the run");
    }
  }

  @Test
  void aLockWithoutAnswersOrATerminalShowsTheDemandAndKillsTheRun() throws Exception {
    try (AutoCloseable t =
        Terminal.install(Terminal.scripted(false, "", new PrintWriter(new StringWriter())))) {
      Cli cli = Cli.run("run", "dev.kodo.examples.PlanApproval", "-i", "goal=x");

      assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
      assertThat(cli.out())
          .contains("Approve the plan for: x\nlock ")
          .contains("## Proposed plan")
          .containsPattern("approve +true/false +yes")
          .contains("kill          run killed by local");
      assertThat(cli.err())
          .contains(
              "standard input is not a terminal to ask on; killing it. Give the answer up front, e.g. --answer approve=true");
    }
  }

  @Test
  void onATerminalTheLockIsAskedForAndADenialAskedAgain() throws Exception {
    StringWriter screen = new StringWriter();
    try (AutoCloseable t =
        Terminal.install(Terminal.scripted(true, "n\n\ntoo dear\n", new PrintWriter(screen)))) {
      Cli cli = Cli.run("run", "dev.kodo.examples.PlanApproval", "-i", "goal=x");

      assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
      assertThat(cli.out())
          .contains("Approve the plan for: x\nlock ")
          .containsPattern("unlock-deny .*say why you reject the plan")
          .contains("# Plan rejected")
          .contains("> too dear");
      assertThat(screen.toString())
          .contains("! Comment: say why you reject the plan\nComment (comment; optional");
    }
  }

  @Test
  void theEndOfInputAtAPromptKillsTheRun() throws Exception {
    try (AutoCloseable t =
        Terminal.install(Terminal.scripted(true, "", new PrintWriter(new StringWriter())))) {
      Cli cli = Cli.run("run", "dev.kodo.examples.PlanApproval", "-i", "goal=x");

      assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
      assertThat(cli.err())
          .contains("no answer: the input ended; the lock stays open; killing the run");
    }
  }

  @Test
  void jsonModeShowsTheDemandOnStandardErrorAndKeepsStandardOutputJson() throws Exception {
    try (AutoCloseable t =
        Terminal.install(Terminal.scripted(false, "", new PrintWriter(new StringWriter())))) {
      Cli cli = Cli.run("run", "dev.kodo.examples.PlanApproval", "-i", "goal=x", "--json");

      assertThat(cli.out().lines())
          .isNotEmpty()
          .allSatisfy(l -> assertThat(Json.read(l).has("seq")).isTrue());
      assertThat(cli.err()).contains("Approve the plan for: x");
    }
  }

  @Test
  void aMalformedAnswerIsAUsageErrorBeforeTheRunStarts() {
    Cli cli =
        Cli.run("run", "dev.kodo.examples.PlanApproval", "-i", "goal=x", "--answer", "approve");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("--answer 'approve' is not name=value");
    assertThat(cli.out()).isEmpty();
  }
}
