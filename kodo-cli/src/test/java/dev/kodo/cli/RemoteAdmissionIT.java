package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.cli.workerflows.Admitted;
import dev.kodo.client.Event;
import dev.kodo.client.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Admission across processes: a node without a worker of its own and two {@code koco worker}
 * processes (capacity 8 each); a flow declaring {@code maxConcurrentRuns(3)} never has more than 3
 * runs executing under 50 concurrent launches, read from the runs' own events, from the start and
 * end times they record (one machine, one clock) and from {@code /api/state}; runs execute on both
 * workers and all 50 end done (docs/flows.md#how-many-runs-at-once). Each run waits for a file the
 * test writes, so nothing depends on timing.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RemoteAdmissionIT {
  private static final String FLOW = Admitted.class.getName();
  private static ScaleOut fleet;
  private static KocoProcess one;
  private static KocoProcess two;
  private static Path signals;

  @BeforeAll
  static void start() throws Exception {
    fleet = new ScaleOut();
    signals = Files.createDirectories(fleet.dir.resolve("signals"));
    fleet.startNode(FLOW, Map.of());
    one = fleet.startWorker("one", FLOW, List.of());
    two = fleet.startWorker("two", FLOW, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void aFlowLimitOf3HoldsAcrossTwoWorkerProcessesUnder50ConcurrentLaunches() throws Exception {
    List<String> fids = new ArrayList<>();
    try (ExecutorService launchers = Executors.newFixedThreadPool(10)) {
      List<Future<String>> launched = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        launched.add(
            launchers.submit(
                () -> fleet.client.launch(FLOW, Map.of("dir", signals.toString())).fid()));
      }
      for (Future<String> f : launched) {
        fids.add(f.get());
      }
    }

    List<String> open = new ArrayList<>(fids);
    int rounds = 0;
    while (!open.isEmpty()) {
      int expected = Math.min(3, open.size());
      // Each started run waits for its file: as many as the limit allows start, no more.
      List<String> executing =
          ScaleOut.await(
              expected + " runs executing",
              60,
              () -> {
                List<String> s = open.stream().filter(RemoteAdmissionIT::started).toList();
                return s.size() >= expected ? s : null;
              });
      assertThat(executing).as("runs started and not released").hasSize(expected);
      JsonNode flow = fleet.client.state().path("admission").path("flows").path(FLOW);
      assertThat(flow.path("limit").asInt()).isEqualTo(3);
      assertThat(flow.path("running").asInt()).isEqualTo(expected);
      assertThat(flow.path("waiting").asInt()).isEqualTo(open.size() - expected);
      for (String fid : open) {
        if (!executing.contains(fid)) {
          assertThat(fleet.client.run(fid).state()).as("run %s", fid).isEqualTo(RunState.PENDING);
        }
      }
      for (String fid : executing) {
        Files.writeString(signals.resolve(fid), "go");
      }
      for (String fid : executing) {
        assertThat(fleet.untilFinished(fid, 60).state()).as("run %s", fid).isEqualTo(RunState.DONE);
        open.remove(fid);
      }
      rounds++;
    }
    assertThat(rounds).isEqualTo(17);

    List<long[]> spans = new ArrayList<>();
    Set<Long> pids = new HashSet<>();
    for (String fid : fids) {
      assertThat(fleet.client.run(fid).state()).isEqualTo(RunState.DONE);
      String[] t = Files.readString(signals.resolve(fid + ".times")).trim().split(" ");
      pids.add(Long.parseLong(t[0]));
      spans.add(new long[] {Long.parseLong(t[1]), Long.parseLong(t[2])});
    }
    assertThat(pids)
        .as("the processes the runs ran in")
        .containsExactlyInAnyOrder(one.pid(), two.pid());
    assertThat(mostAtOnce(spans))
        .as("most runs executing at once, by their own clocks")
        .isEqualTo(3);
    ScaleOut.await(
        "no slot held once every run ended",
        30,
        () -> {
          JsonNode a = fleet.client.state().path("admission");
          return a.path("running").asInt() == 0 && a.path("waiting").asInt() == 0 ? true : null;
        });
  }

  /** Whether the run said in a progress event that it started executing. */
  private static boolean started(String fid) {
    for (Event e : fleet.client.events(fid, 0, 100).items()) {
      if (e.type().equals("progress") && e.data().contains("started in ")) {
        return true;
      }
    }
    return false;
  }

  /** The most intervals [start, end] that overlap at one instant: a sweep over their ends. */
  static int mostAtOnce(List<long[]> spans) {
    List<long[]> edges = new ArrayList<>();
    for (long[] s : spans) {
      edges.add(new long[] {s[0], 1});
      edges.add(new long[] {s[1], -1});
    }
    // At equal times a start counts before an end: touching intervals count as overlapping.
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
    int now = 0;
    int most = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
