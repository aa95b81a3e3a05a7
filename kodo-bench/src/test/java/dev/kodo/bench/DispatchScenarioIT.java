package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatch scenario in quick mode: a node with its embedded worker and a node with {@code
 * --no-worker} joined by a real {@code koco worker} process. Asserts where the measured runs
 * executed — the remote node's in the worker process, the embedded node's in this JVM — and that
 * each figure stands beside its embedded-worker baseline; never the timings.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DispatchScenarioIT {

  @Test
  void measuresRunsOnTheWorkerProcessBesideTheEmbeddedWorker(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("dispatch");
    DispatchScenario scenario = new DispatchScenario(true, data);

    List<Figure> figures = scenario.run();

    DispatchScenario.Checks checks = scenario.checks();
    assertThat(checks.workerPid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(checks.remotePids())
        .as("every run on the --no-worker node ran in the koco worker process")
        .containsExactly(checks.workerPid());
    assertThat(checks.embeddedPids())
        .as("every run on the other node ran in its embedded worker, in this JVM")
        .containsExactly(ProcessHandle.current().pid());
    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly("launch → running, remote p50", "launch → running, remote p99");
    for (Figure f : figures) {
      assertThat(f.value()).as(f.name()).isPositive().isFinite();
      assertThat(f.baseline()).as(f.name()).isPositive().isFinite();
      assertThat(f.baselineName()).as(f.name()).startsWith("embedded worker");
      assertThat(f.higherIsBetter()).as(f.name()).isFalse();
    }
    assertThat(data).as("the nodes' data is removed after the run").doesNotExist();
    assertThat(Bench.SCENARIOS).contains("dispatch");
  }
}
