package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.RunTicket;
import dev.kodo.cluster.testing.InMemoryCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.testflows.ShortLock;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.store.RunQuery;
import dev.kodo.web.ApiException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

/**
 * The run service on an in-memory cluster and a real SQLite store, without HTTP, Spring or
 * Hazelcast: a launch is recorded before it is dispatched, a full run queue refuses it, and a
 * dispatched run is executed by a worker and its events reach the store.
 */
@Timeout(60)
class RunServiceTest {
  private static final String SHORT_LOCK = ShortLock.class.getName();
  private static final FlowCatalog CATALOG = FlowCatalog.of(LoadedFlow.of(ShortLock.class));

  @TempDir Path dir;
  private NodeRig rig;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  private NodeRig rig(InMemoryCluster cluster, boolean withWorker) {
    rig = new NodeRig(dir, CATALOG, cluster, withWorker, Duration.ofSeconds(5));
    return rig;
  }

  @Test
  void aLaunchIsRecordedAsPendingAndItsTicketWaitsOnTheCluster() throws InterruptedException {
    NodeRig n = rig(new InMemoryCluster(), false);
    RunDocument run = n.runs.launch(SHORT_LOCK, Map.of("millis", 5_000), "alice");

    assertThat(run.state()).isEqualTo(RunState.PENDING);
    assertThat(n.runs.get(run.fid()).state()).isEqualTo(RunState.PENDING);
    RunTicket ticket = n.cluster.takeRun(1_000);
    assertThat(ticket).isNotNull();
    assertThat(ticket.fid()).isEqualTo(run.fid());
    assertThat(ticket.node()).as("the node incarnation: name~member").startsWith("rig-node~");
    assertThat(ticket.inputs()).isEqualTo("{\"millis\":5000}");
  }

  @Test
  void aLaunchWhileTheRunQueueIsFullIs503AndRecordsNoRun() {
    NodeRig n = rig(new InMemoryCluster("m", 1, 16), false);
    n.runs.launch(SHORT_LOCK, Map.of(), "alice");

    assertThatThrownBy(() -> n.runs.launch(SHORT_LOCK, Map.of(), "alice"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE))
        .hasMessageContaining("run queue is full");
    assertThat(n.store.runs(RunQuery.all()).total())
        .as("only the first run was recorded")
        .isEqualTo(1);
  }

  @Test
  void unknownFlowsAre404AndInvalidInputsAreRefusedBeforeTheRunExists() {
    NodeRig n = rig(new InMemoryCluster(), false);
    assertThatThrownBy(() -> n.runs.launch("no.such.Flow", Map.of(), "alice"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
    assertThatThrownBy(() -> n.runs.launch(SHORT_LOCK, Map.of("millis", 0), "alice"))
        .isInstanceOf(InvalidInputsException.class);
    assertThat(n.cluster.queuedRuns()).isZero();
  }

  @Test
  void aKilledPendingRunIsKilledAndTheClusterRemembersIt() {
    NodeRig n = rig(new InMemoryCluster(), false);
    RunDocument run = n.runs.launch(SHORT_LOCK, Map.of(), "alice");

    RunDocument killed = n.runs.kill(run.fid(), "bob");

    assertThat(killed.state()).isEqualTo(RunState.KILLED);
    assertThat(n.cluster.killed(run.fid())).as("a worker taking the ticket skips it").isTrue();
  }

  @Test
  void aWorkerExecutesTheRunAndItsEventsReachTheStoreInOrder() {
    NodeRig n = rig(new InMemoryCluster(), true);
    RunDocument run = n.runs.launch(SHORT_LOCK, Map.of("millis", 50), "alice");

    n.awaitState(run.fid(), RunState.ERROR);
    var events = n.runs.events(run.fid(), 0, 100).items();
    assertThat(events)
        .extracting(Event::type)
        .startsWith("inputs", "version", "flow")
        .contains("lock", "lock-timeout")
        .endsWith("fatal");
    assertThat(events).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
  }
}
