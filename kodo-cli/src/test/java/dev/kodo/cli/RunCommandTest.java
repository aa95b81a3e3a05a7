package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RunCommandTest {

  @Test
  void aFlowThatEndsDoneExitsZeroAndPrintsItsReport() {
    Cli cli = Cli.run("run", "dev.kodo.examples.MarketReport", "--input", "company=ACME", "-i", "quarter=Q2");

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
    Cli cli = Cli.run("run", "dev.kodo.examples.ResearchSteps", "--input", "topic=x", "--input", "steps=many");

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
    Cli cli = Cli.run("run", "dev.kodo.examples.MarketReport", "--inputs-json", "{\"company\":\"ACME\",\"year\":2030}", "--json");

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
    Files.writeString(file, """
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
}
