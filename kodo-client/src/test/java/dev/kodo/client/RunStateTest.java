package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunStateTest {

  @ParameterizedTest(name = "fatal={0} kill={1} final={2} lockOpen={3} -> {4}")
  @CsvSource({
    // fatal wins over everything
    "true,  true,  true,  true,  ERROR",
    "true,  false, true,  false, ERROR",
    "true,  false, false, true,  ERROR",
    "true,  false, false, false, ERROR",
    // then kill
    "false, true,  true,  true,  KILLED",
    "false, true,  false, false, KILLED",
    "false, true,  false, true,  KILLED",
    // then final
    "false, false, true,  true,  DONE",
    "false, false, true,  false, DONE",
    // then an open lock
    "false, false, false, true,  LOCKED",
    // else pending
    "false, false, false, false, PENDING",
  })
  void derivesTheStateInDesignOrder(
      boolean fatal, boolean killed, boolean done, boolean lockOpen, RunState expected) {
    assertThat(RunState.derive(fatal, killed, done, lockOpen)).isEqualTo(expected);
  }

  @Test
  void everyCombinationGivesTheHighestPriorityState() {
    for (int bits = 0; bits < 16; bits++) {
      boolean fatal = (bits & 8) != 0,
          killed = (bits & 4) != 0,
          done = (bits & 2) != 0,
          lock = (bits & 1) != 0;
      RunState expected =
          fatal
              ? RunState.ERROR
              : killed
                  ? RunState.KILLED
                  : done ? RunState.DONE : lock ? RunState.LOCKED : RunState.PENDING;
      assertThat(RunState.derive(fatal, killed, done, lock)).isEqualTo(expected);
    }
  }

  @Test
  void finishedStatesAreDoneErrorAndKilled() {
    assertThat(RunState.DONE.finished()).isTrue();
    assertThat(RunState.ERROR.finished()).isTrue();
    assertThat(RunState.KILLED.finished()).isTrue();
    assertThat(RunState.PENDING.finished()).isFalse();
    assertThat(RunState.LOCKED.finished()).isFalse();
  }

  @Test
  void travelsInLowerCase() {
    assertThat(RunState.LOCKED.wire()).isEqualTo("locked");
    assertThat(RunState.KILLED).hasToString("killed");
    assertThat(RunState.parse(" Done ")).isEqualTo(RunState.DONE);
    assertThat(Json.read("\"error\"", RunState.class)).isEqualTo(RunState.ERROR);
    assertThat(Json.write(RunState.PENDING)).isEqualTo("\"pending\"");
  }

  @Test
  void anUnknownStateListsTheValidOnes() {
    assertThatThrownBy(() -> RunState.parse("running"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'running'")
        .hasMessageContaining("pending, locked, done, error, killed");
  }
}
