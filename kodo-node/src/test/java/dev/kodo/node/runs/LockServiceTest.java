package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.Control;
import dev.kodo.cluster.testing.InMemoryCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.testflows.ShortLock;
import dev.kodo.node.testflows.SlowCheck;
import dev.kodo.web.ApiException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

/**
 * The lock protocol from the node's side, on an in-memory cluster with a real worker and store and
 * no HTTP, Spring or Hazelcast: a candidate is relayed to the worker through the cluster and the
 * flow's verdict decides the answer (accepted, 422 with the field errors, 504 in time).
 */
@Timeout(60)
class LockServiceTest {
  private static final FlowCatalog CATALOG =
      FlowCatalog.of(LoadedFlow.of(ShortLock.class), LoadedFlow.of(SlowCheck.class));

  @TempDir Path dir;
  private NodeRig rig;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  private RunDocument lockedRun(
      Class<?> flow, Map<String, Object> inputs, Duration releaseTimeout) {
    rig = new NodeRig(dir, CATALOG, new InMemoryCluster(), true, releaseTimeout);
    RunDocument run = rig.runs.launch(flow.getName(), inputs, "alice");
    return rig.awaitState(run.fid(), RunState.LOCKED);
  }

  private static String lid(RunDocument run) {
    return run.lock().path("lid").asString();
  }

  @Test
  void anAcceptedAnswerIsRelayedToTheWorkerAndUnlocksTheRun() {
    RunDocument run = lockedRun(ShortLock.class, Map.of("millis", 30_000), Duration.ofSeconds(10));
    List<Control> relayed = new CopyOnWriteArrayList<>();
    rig.cluster.onControl(relayed::add);

    LockService.Accepted accepted = rig.locks.submit(run.fid(), lid(run), Map.of("ok", true));

    assertThat(accepted.accepted()).isTrue();
    assertThat(relayed)
        .anySatisfy(
            c ->
                assertThat(c)
                    .isInstanceOfSatisfying(
                        Control.Candidate.class,
                        k -> assertThat(k.cid()).isEqualTo(accepted.cid())));
    rig.awaitState(run.fid(), RunState.DONE);
    assertThat(rig.runs.events(run.fid(), 0, 100).items())
        .extracting(Event::type)
        .contains("candidate", "unlock", "final");
  }

  @Test
  void anAnswerTheFlowDeniesIs422NamingTheFieldAndTheLockStaysOpen() {
    RunDocument run = lockedRun(ShortLock.class, Map.of("millis", 30_000), Duration.ofSeconds(10));

    assertThatThrownBy(() -> rig.locks.submit(run.fid(), lid(run), Map.of()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
              assertThat(e.errors()).extracting(f -> f.field()).contains("ok");
            });
    assertThat(rig.runs.get(run.fid()).state()).isEqualTo(RunState.LOCKED);
  }

  @Test
  void aFlowThatDoesNotAnswerWithinTheReleaseTimeoutIs504AndTheLockStaysOpen() {
    RunDocument run = lockedRun(SlowCheck.class, Map.of(), Duration.ofMillis(300));

    assertThatThrownBy(() -> rig.locks.submit(run.fid(), lid(run), Map.of("ok", true)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT));
    assertThat(rig.runs.get(run.fid()).state()).isEqualTo(RunState.LOCKED);
    assertThat(rig.runs.events(run.fid(), 0, 100).items())
        .extracting(Event::type)
        .contains("unlock-timeout");
  }

  @Test
  void anAnswerToAnotherLockIs404AndToAnEndedRunIs409() {
    RunDocument run = lockedRun(ShortLock.class, Map.of("millis", 30_000), Duration.ofSeconds(10));
    assertThatThrownBy(() -> rig.locks.submit(run.fid(), "not-the-lock", Map.of("ok", true)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));

    rig.runs.kill(run.fid(), "bob");
    assertThatThrownBy(() -> rig.locks.submit(run.fid(), lid(run), Map.of("ok", true)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT));
  }
}
