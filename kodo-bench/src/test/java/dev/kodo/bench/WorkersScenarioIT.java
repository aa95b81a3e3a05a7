package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers scenario in quick mode: a node with {@code --no-worker} and one, then two, real
 * {@code koco worker} processes running the CPU-bound example flow. Asserts that both worker
 * processes really executed runs (the node has no worker of its own, so every run that reached
 * {@code done} ran in one of them) and the figure's shape: two workers beside one, the core count
 * beside them; never the timings.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkersScenarioIT {

  @Test
  void measuresOneAndTwoWorkerProcessesThatBothExecuteRuns(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("workers");
    WorkersScenario scenario = new WorkersScenario(true, data);

    List<Figure> figures = scenario.run();

    assertThat(scenario.peakLoads().keySet())
        .as("the workers seen executing runs")
        .containsExactly("cpu-1", "cpu-2");
    assertThat(scenario.peakLoads().values()).allSatisfy(load -> assertThat(load).isPositive());
    assertThat(figures).hasSize(1);
    Figure f = figures.getFirst();
    assertThat(f.name()).isEqualTo("runs/s, 2 remote workers (CPU)");
    assertThat(f.value()).isPositive().isFinite();
    assertThat(f.baseline()).isPositive().isFinite();
    assertThat(f.baselineName()).isEqualTo("runs/s with 1 worker");
    assertThat(f.note()).startsWith(Runtime.getRuntime().availableProcessors() + " cores");
    assertThat(f.row()).contains(f.note());
    assertThat(data).as("the node's data and the workers' logs are removed").doesNotExist();
    assertThat(Bench.SCENARIOS).contains("workers");
  }
}
