package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.ClusterOptions;
import dev.kodo.cluster.ClusterSecret;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.testflows.Sleepy;
import dev.kodo.worker.Worker;
import dev.kodo.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node in its own JVM whose runs execute on a worker of another cluster member (here, the test's
 * JVM): when either side dies, the runs still end and no flow keeps acting for a run declared dead.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterZombiesIT {
  private final String cluster = "zombies-" + UUID.randomUUID();
  private final Path data = Path.of("target", "it-data", cluster).toAbsolutePath();
  private KodoCluster member;
  private Worker worker;
  private String[] nodeArgs;

  @BeforeEach
  void startWorkerMember() throws Exception {
    Files.createDirectories(data);
    // The node started below reads the same secret from its data directory.
    member =
        KodoCluster.start(
            new ClusterOptions(
                cluster,
                "127.0.0.1",
                NodeProcess.freePort(),
                List.of(),
                ClusterSecret.loadOrCreate(data)));
    var address = member.hazelcast().getCluster().getLocalMember().getAddress();
    worker =
        Worker.start(
            member, FlowCatalog.of(LoadedFlow.of(Sleepy.class)), new WorkerOptions("remote", 4));
    nodeArgs =
        new String[] {
          "--kodo.worker.enabled=false",
          "--kodo.flows=classpath:*," + Sleepy.class.getName(),
          "--kodo.cluster.port=" + NodeProcess.freePort(),
          "--kodo.cluster.members=" + address.getHost() + ":" + address.getPort()
        };
  }

  @AfterEach
  void stopWorkerMember() {
    if (worker != null) {
      worker.close();
    }
    if (member != null) {
      member.close();
    }
  }

  private static RunDocument untilFinished(NodeClient client, String fid)
      throws InterruptedException {
    return NodeTestSupport.await(
        "run " + fid + " to end",
        () -> {
          RunDocument r = client.run(fid);
          return r.state().finished() ? r : null;
        });
  }

  @Test
  void aRestartedNodeKillsTheRunsItEndsOnTheWorkersOfOtherMembers() throws Exception {
    int port = NodeProcess.freePort();
    String fid;
    try (NodeProcess node = NodeProcess.start(port, data, cluster, nodeArgs)) {
      fid = node.client().launch(Sleepy.class.getName(), Map.of()).fid();
      NodeTestSupport.await(
          "the run to execute on the other member",
          () -> Sleepy.STARTED.contains(fid) ? true : null);
      node.kill9();
    }
    assertThat(worker.active()).as("the flow outlived its node").isEqualTo(1);

    try (NodeProcess node = NodeProcess.start(port, data, cluster, nodeArgs)) {
      RunDocument run = node.client().run(fid);
      assertThat(run.state()).isEqualTo(RunState.ERROR);
      assertThat(run.error().path("reason").asString()).isEqualTo("node-restarted");

      NodeTestSupport.await(
          "the flow of the ended run to be killed",
          () -> Sleepy.INTERRUPTED.contains(fid) ? true : null);
      NodeTestSupport.await("the worker to be idle", () -> worker.active() == 0 ? true : null);
    }
  }

  @Test
  void runsOfAWorkerWhoseMemberDiesEndWithWorkerLost() throws Exception {
    try (NodeProcess node = NodeProcess.start(NodeProcess.freePort(), data, cluster, nodeArgs)) {
      NodeClient client = node.client();
      String fid = client.launch(Sleepy.class.getName(), Map.of()).fid();
      NodeTestSupport.await(
          "the run to execute on the other member",
          () -> Sleepy.STARTED.contains(fid) ? true : null);
      // The node holds backups of the cluster's data only once the partitions have migrated after
      // it
      // joined; a member dying before that takes the run's assignment with it (see
      // docs/decisions.md).
      NodeTestSupport.await(
          "the cluster to be safe",
          () -> member.hazelcast().getPartitionService().isClusterSafe() ? true : null);

      member.hazelcast().getLifecycleService().terminate(); // a crash: the member says no goodbye

      RunDocument run = untilFinished(client, fid);
      assertThat(run.state()).isEqualTo(RunState.ERROR);
      assertThat(run.error().path("reason").asString()).isEqualTo("worker-lost");
      assertThat(run.error().path("message").asString()).contains(fid);
    }
  }
}
