package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.RunTicket;
import dev.kodo.cluster.testing.InMemoryCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.testflows.ShortLock;
import dev.kodo.store.RunRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node does with the runs it took over from a dead node once that node's queue was read
 * (docs/architecture.md#two-nodes-one-database): a run that no worker executes and whose ticket
 * waits nowhere ends {@code node-lost}; a queued run and an executing one go on.
 */
@Timeout(60)
class HandOverTest {
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

  @Test
  void aTakenOverRunNobodyExecutesEndsNodeLostWhileQueuedAndExecutingRunsGoOn() throws Exception {
    InMemoryCluster cluster = new InMemoryCluster();
    rig = new NodeRig(dir, CATALOG, cluster, false, Duration.ofSeconds(5));
    NodeIncarnation self = new NodeIncarnation(rig.properties, cluster, rig.store);
    HandOver handOver = new HandOver(cluster, rig.store, rig.ingest, self, rig.journal);
    String lost = launch();
    String executing = launch();
    String queued = launch();
    RunTicket first = cluster.takeRun(1_000);
    RunTicket second = cluster.takeRun(1_000);
    assertThat(List.of(first.fid(), second.fid())).containsExactly(lost, executing);
    cluster.assign(executing, "w1@" + cluster.memberId());

    handOver.settle(List.of(record(lost), record(executing), record(queued)));

    RunDocument ended = rig.runs.get(lost);
    assertThat(ended.state()).isEqualTo(RunState.ERROR);
    assertThat(ended.error().path("reason").asString()).isEqualTo("node-lost");
    assertThat(cluster.killed(lost)).as("killed on the cluster too").isTrue();
    assertThat(rig.runs.get(executing).state()).isEqualTo(RunState.PENDING);
    assertThat(rig.runs.get(queued).state()).isEqualTo(RunState.PENDING);
  }

  private String launch() {
    return rig.runs.launch(SHORT_LOCK, Map.of("millis", 5_000), "alice").fid();
  }

  private RunRecord record(String fid) {
    return rig.store.run(fid).orElseThrow();
  }
}
