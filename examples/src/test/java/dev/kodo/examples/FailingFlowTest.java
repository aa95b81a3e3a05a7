package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Progress;
import dev.kodo.client.RunState;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailingFlowTest {
  private final FlowTester tester = FlowTester.of(FailingFlow.class);

  @Test
  void failsWithItsExceptionByDefault() {
    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.progress())
        .containsExactly(new Progress(0.3, "connecting to the supplier database"));
    assertThat(run.stderr()).containsExactly("warning: supplier database answers slowly");
    TestRun.Fatal fatal = run.fatal();
    assertThat(fatal.reason()).isEqualTo("exception");
    assertThat(fatal.message())
        .isEqualTo(
            "IllegalStateException: supplier database is unreachable (this example fails on purpose)");
    assertThat(fatal.error()).isEqualTo("java.lang.IllegalStateException");
    assertThat(fatal.where().getFirst())
        .startsWith("dev.kodo.examples.FailingFlow.run(FailingFlow.java:");
    assertThat(run.types()).endsWith("stderr", "fatal").doesNotContain("final");
  }

  @Test
  void failsWithANullPointerInBugMode() {
    TestRun run = tester.run(Map.of("failure", "bug"));

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    TestRun.Fatal fatal = run.fatal();
    assertThat(fatal.error()).isEqualTo("java.lang.NullPointerException");
    assertThat(fatal.message())
        .startsWith("NullPointerException: ")
        .contains("String.trim()")
        .contains("\"missing\" is null");
    assertThat(fatal.where().getFirst())
        .startsWith("dev.kodo.examples.FailingFlow.run(FailingFlow.java:");
  }

  @Test
  void offersOnlyItsTwoFailureModes() {
    assertThatThrownBy(() -> tester.run(Map.of("failure", "explode")))
        .isInstanceOf(InvalidInputsException.class)
        .hasMessage("invalid inputs: failure must be one of [exception, bug], not text 'explode'");
  }
}
