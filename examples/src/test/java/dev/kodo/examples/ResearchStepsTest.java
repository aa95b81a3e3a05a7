package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.EventType;
import dev.kodo.client.Progress;
import dev.kodo.client.RunState;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResearchStepsTest {
  private final FlowTester tester = FlowTester.of(ResearchSteps.class);

  record Finding(String step, String note) {}

  @Test
  void reportsEveryStepAndEndsWithATable() {
    TestRun run = tester.run(Map.of("topic", "heat pumps", "steps", 3, "pause", 0));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.progress())
        .containsExactly(
            new Progress(0.0, "Frame the question"),
            new Progress(1 / 3.0, "Collect sources"),
            new Progress(2 / 3.0, "Read and take notes"),
            new Progress(1.0, "done"));
    assertThat(run.actions())
        .extracting(a -> a.data().path("name").asString())
        .containsExactly("Frame the question", "Collect sources", "Read and take notes");
    assertThat(run.results(Finding.class))
        .extracting(Finding::step)
        .containsExactly("Frame the question", "Collect sources", "Read and take notes");
    assertThat(run.results(Finding.class).getFirst().note())
        .isEqualTo("Frame the question for heat pumps: 30 relevant items");
    assertThat(run.stdout()).containsExactly("researching 'heat pumps' in 3 steps");

    assertThat(run.markdown())
        .startsWith("# Research: heat pumps\n\n| # | Step | Note |\n|---|------|------|\n")
        .contains(
            "| 1 | Frame the question | Frame the question for heat pumps: 30 relevant items |\n")
        .contains("| 3 | Read and take notes |")
        .doesNotContain("| 4 |")
        .endsWith("All 3 steps completed.\n");
  }

  @Test
  void usesItsDefaultsAndPublishesThemInItsSchema() {
    assertThat(tester.spec().inputs().schema())
        .extracting("properties")
        .extracting("steps")
        .extracting("default")
        .isEqualTo(4L);
    TestRun run = tester.run(Map.of("topic", "tea", "pause", 0));
    assertThat(run.inputs().integer("steps")).isEqualTo(4);
    assertThat(run.results()).hasSize(4);
  }

  @Test
  void refusesInputsOutsideItsForm() {
    assertThatThrownBy(() -> tester.run(Map.of("topic", "x", "steps", 9)))
        .isInstanceOf(InvalidInputsException.class)
        .hasMessage(
            "invalid inputs: topic must be at least 2 characters long (got 1); steps must be at most 8 (got 9)");
  }

  @Test
  void stopsWhenKilledBetweenSteps() {
    AsyncRun running = tester.runAsync(Map.of("topic", "tea", "steps", 8, "pause", 10_000));
    running.awaitEvent(EventType.PROGRESS);
    running.kill();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(run.progress()).hasSize(1);
    assertThat(run.types()).doesNotContain("final", "fatal");
  }
}
