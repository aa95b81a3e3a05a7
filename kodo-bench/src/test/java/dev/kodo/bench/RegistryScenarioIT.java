package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry scenario end to end, at a tiny size: a real registry service, loaded and measured
 * over HTTP.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryScenarioIT {

  @Test
  void runsAgainstARealRegistryAndReportsEveryFigureBesideItsBaseline(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("registry");
    List<Figure> figures =
        new RegistryScenario(new RegistryScenario.Size(30, 3, 10, 30, 40, 2), data).run();

    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly(
            "registry search+query+page p50",
            "registry search+query+page p99",
            "registry plain page p50",
            "registry plain page p99",
            "registry search, 16 clients",
            "registry heartbeats, 64 clients");
    for (Figure f : figures) {
      assertThat(f.value()).as(f.name()).isPositive().isFinite();
      assertThat(f.baseline()).as(f.name()).isPositive().isFinite();
    }
    assertThat(figures.get(1).target())
        .as("issue 12: single-client search p99 ≤ 10 ms")
        .isEqualTo(10);
    assertThat(figures.get(5).target()).isEqualTo(5_000);
    assertThat(figures.get(5).higherIsBetter()).isTrue();
    assertThat(data).as("the registry's data is removed after the run").doesNotExist();
    assertThat(Bench.SCENARIOS)
        .as("selectable with --only and in the default run")
        .contains("registry");
  }
}
