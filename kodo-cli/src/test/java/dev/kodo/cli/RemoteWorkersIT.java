package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.cli.workerflows.Asking;
import dev.kodo.cli.workerflows.Fragile;
import dev.kodo.cli.workerflows.Pid;
import dev.kodo.client.Event;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A node without a worker of its own ({@code koco node --no-worker}) and two {@code koco worker}
 * processes: they share the runs, the node's state shows them and the queues, kill reaches a run on
 * a remote worker, a run no worker offers ends no-worker, and a worker with another cluster secret
 * is refused (docs/architecture.md#remote-workers).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RemoteWorkersIT {
  private static final String FLOWS =
      String.join(",", Pid.class.getName(), Asking.class.getName(), Fragile.class.getName());
  private static final String WORKER_FLOWS = Pid.class.getName() + "," + Asking.class.getName();
  private static ScaleOut fleet;
  private static KocoProcess one;
  private static KocoProcess two;

  @BeforeAll
  static void start() throws Exception {
    fleet = new ScaleOut();
    fleet.startNode(FLOWS, Map.of("KODO_NODE_NO_WORKER_TIMEOUT", "3s"));
    one = fleet.startWorker("one", WORKER_FLOWS, List.of());
    two = fleet.startWorker("two", WORKER_FLOWS, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void twoWorkerProcessesShareTwoHundredRunsAndTheStateShowsThem() throws Exception {
    JsonNode state = fleet.client.state();
    assertThat(state.path("cluster").path("join").asString()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(fleet.workerEntry("one").path("flows").toString())
        .contains(Pid.class.getName())
        .contains(Asking.class.getName())
        .doesNotContain(Fragile.class.getName());
    assertThat(fleet.workerEntry("two").path("capacity").asInt()).isEqualTo(8);

    List<String> fids = new ArrayList<>();
    try (ExecutorService launchers = Executors.newFixedThreadPool(8)) {
      List<Future<String>> launched = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        launched.add(
            launchers.submit(
                () -> fleet.client.launch(Pid.class.getName(), Map.of("millis", 30)).fid()));
      }
      for (Future<String> f : launched) {
        fids.add(f.get());
      }
    }
    Map<Long, Integer> byProcess = new HashMap<>();
    for (String fid : fids) {
      RunDocument r = fleet.untilFinished(fid, 120);
      assertThat(r.state()).as("run %s", fid).isEqualTo(RunState.DONE);
      byProcess.merge(r.result().findValue("pid").asLong(), 1, Integer::sum);
    }
    assertThat(byProcess.keySet())
        .as("the processes the 200 runs ran in")
        .containsExactlyInAnyOrder(one.pid(), two.pid());
    assertThat(byProcess.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(10));
    JsonNode queues = fleet.client.state().path("cluster").path("queues");
    assertThat(queues.path(Pid.class.getName()).asInt(-1)).isZero();
  }

  @Test
  void killReachesARunOnARemoteWorker() throws Exception {
    String fid = fleet.client.launch(Asking.class.getName(), Map.of()).fid();
    ScaleOut.await(
        "run " + fid + " to be locked",
        60,
        () -> fleet.client.run(fid).state() == RunState.LOCKED ? true : null);
    assertThat(load()).isPositive();

    fleet.client.kill(fid);

    assertThat(fleet.untilFinished(fid, 30).state()).isEqualTo(RunState.KILLED);
    ScaleOut.await("the workers to drop the killed run", 30, () -> load() == 0 ? true : null);
  }

  @Test
  void aRunWhoseFlowNoWorkerOffersSaysSoAndEndsNoWorker() throws Exception {
    String fid = fleet.client.launch(Fragile.class.getName(), Map.of("millis", 10)).fid();

    RunDocument r = fleet.untilFinished(fid, 30);

    assertThat(r.state()).isEqualTo(RunState.ERROR);
    assertThat(r.error().path("reason").asString()).isEqualTo("no-worker");
    List<Event> events = fleet.client.events(fid, 0, 100).items();
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("progress");
              assertThat(e.data())
                  .contains("no live worker offers flow " + Fragile.class.getName());
            });
  }

  @Test
  void aWorkerWithAnotherClusterSecretIsRefusedWithExitCode1() throws Exception {
    byte[] random = new byte[32];
    ThreadLocalRandom.current().nextBytes(random);
    KocoProcess stranger =
        fleet.worker(
            "stranger",
            WORKER_FLOWS,
            List.of(),
            Map.of("KODO_CLUSTER_SECRET", HexFormat.of().formatHex(random)));

    assertThat(stranger.process().waitFor(120, TimeUnit.SECONDS)).as("the stranger exits").isTrue();
    assertThat(stranger.process().exitValue()).isEqualTo(1);
    assertThat(stranger.output()).contains("koco worker was refused").contains(fleet.cluster);
    assertThat(fleet.workerEntry("stranger")).isNull();
    assertThat(fleet.client.state().path("cluster").path("members").asInt()).isEqualTo(3);
  }

  private static int load() {
    int load = 0;
    for (JsonNode w : fleet.client.state().path("workers")) {
      load += w.path("load").asInt();
    }
    return load;
  }
}
