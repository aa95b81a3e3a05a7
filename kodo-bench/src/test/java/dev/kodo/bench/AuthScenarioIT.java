package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth scenario end to end in quick mode: two real nodes in this JVM, one with the auth
 * provider in its process and auth on, one with {@code --no-auth}. Asserts what the scenario proved
 * and that each figure stands beside its baseline with a ratio target — never the timings, which
 * depend on the machine.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AuthScenarioIT {

  @Test
  void measuresAuthOnBesideNoAuthAfterProvingAuthIsOn(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("auth");
    AuthScenario scenario = new AuthScenario(true, data);

    List<Figure> figures = scenario.run();

    assertThat(scenario.checks().statusWithoutToken()).isEqualTo(401);
    assertThat(scenario.checks().owner()).isEqualTo("user:admin");
    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly("launch → final throughput, auth on", "emit → SSE p99, auth on");
    for (Figure f : figures) {
      assertThat(f.value()).as(f.name()).isPositive().isFinite();
      assertThat(f.baseline()).as(f.name()).isPositive().isFinite();
      assertThat(f.targetIsRatio()).as(f.name() + ": a ratio target").isTrue();
      assertThat(f.baselineName()).as(f.name()).contains("--no-auth");
      assertThat(f.verdict()).as(f.name()).contains("target ratio");
    }
    assertThat(figures.get(0).higherIsBetter()).isTrue();
    assertThat(figures.get(0).target()).isEqualTo(0.50);
    assertThat(figures.get(1).higherIsBetter()).isFalse();
    assertThat(figures.get(1).target()).isEqualTo(1.5);
    assertThat(data).as("the nodes' data is removed after the run").doesNotExist();
    assertThat(Bench.SCENARIOS)
        .as("selectable with --only and in the default run")
        .contains("auth");
  }
}
