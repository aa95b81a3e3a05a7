package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.CrewParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bench's command line, and the crew its {@code agents} scenario serves. */
class BenchOptionsTest {
  @Test
  void onlyAgentsQuickParses() {
    Bench.Options options = Bench.Options.parse("--only", "agents", "--quick");
    assertThat(options.only()).containsExactly("agents");
    assertThat(options.quick()).isTrue();
  }

  @Test
  void withoutArgumentsEveryScenarioRunsInFull() {
    Bench.Options options = Bench.Options.parse();
    assertThat(options.only()).containsExactlyInAnyOrderElementsOf(Bench.SCENARIOS);
    assertThat(options.only()).contains("agents");
    assertThat(options.quick()).isFalse();
  }

  @Test
  void authIsAScenarioOfItsOwnAndInTheDefaultRun() {
    assertThat(Bench.Options.parse("--only", "auth", "--quick").only()).containsExactly("auth");
    assertThat(Bench.Options.parse().only()).contains("auth", "registry");
  }

  @Test
  void agentsCombinesWithOtherScenarios() {
    assertThat(Bench.Options.parse("--only", "launch,agents").only())
        .containsExactlyInAnyOrder("launch", "agents");
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> Bench.Options.parse("--only", "agent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scenario 'agent'")
        .hasMessageContaining("agents");
    assertThatThrownBy(() -> Bench.Options.parse("--only"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--only needs a list of scenarios");
    assertThatThrownBy(() -> Bench.Options.parse("--fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown argument '--fast'");
  }

  /** The node would refuse a crew with problems, and the scenario would find no flow to launch. */
  @Test
  void theBenchCrewIsValidWithTwoSequentialTasks() throws IOException {
    String text;
    try (InputStream in = AgentsScenario.class.getResourceAsStream(AgentsScenario.CREW + ".yaml")) {
      assertThat(in).isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Crew crew = CrewParser.parse(text, Path.of(AgentsScenario.CREW + ".yaml"));
    assertThat(crew.tasks()).hasSize(AgentsScenario.CALLS_PER_CREW_RUN);
  }
}
