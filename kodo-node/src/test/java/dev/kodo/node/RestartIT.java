package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventsPage;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of a serving node and a restart on the same data: every persisted event of finished runs
 * is intact, and runs that were in flight end with fatal / node-restarted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RestartIT {

  @Test
  void aKilledNodeKeepsFinishedRunsAndEndsInFlightOnes() throws Exception {
    Path data = Path.of("target", "it-data", "restart-" + UUID.randomUUID()).toAbsolutePath();
    String cluster = "restart-" + UUID.randomUUID();
    int port = NodeProcess.freePort();
    List<String> finished = new ArrayList<>();
    Map<String, List<Event>> logs = new HashMap<>();
    List<String> inFlight = new ArrayList<>();
    RunDocument lockedRun;
    try (NodeProcess node = NodeProcess.start(port, data, cluster, "--kodo.flows=classpath:*")) {
      NodeClient client = node.client();
      for (int i = 0; i < 10; i++) {
        RunDocument run =
            client.launch(
                "dev.kodo.examples.ResearchSteps",
                Map.of("topic", "kept " + i, "steps", 3, "pause", 0));
        List<Event> events = new ArrayList<>();
        client.stream(run.fid(), 0, events::add);
        finished.add(run.fid());
        logs.put(run.fid(), events);
      }
      for (int i = 0; i < 5; i++) {
        RunDocument run =
            client.launch(
                "dev.kodo.examples.ResearchSteps",
                Map.of("topic", "cut " + i, "steps", 8, "pause", 10_000));
        inFlight.add(run.fid());
      }
      RunDocument approval =
          client.launch("dev.kodo.examples.PlanApproval", Map.of("goal", "survive a crash"));
      long lockDeadline = System.currentTimeMillis() + 20_000;
      while (client.run(approval.fid()).state() != RunState.LOCKED
          && System.currentTimeMillis() < lockDeadline) {
        Thread.sleep(50);
      }
      lockedRun = client.run(approval.fid());
      assertThat(lockedRun.state()).isEqualTo(RunState.LOCKED);
      // Wait until every in-flight run has started on the worker.
      for (String fid : inFlight) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (client.run(fid).progress().message() == null
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
        }
        assertThat(client.run(fid).state()).isEqualTo(RunState.PENDING);
      }
      node.kill9();
    }

    try (NodeProcess node = NodeProcess.start(port, data, cluster, "--kodo.flows=classpath:*")) {
      NodeClient client = node.client();
      for (String fid : finished) {
        EventsPage stored = client.events(fid, 0, 10_000);
        assertThat(stored.items()).as("events of %s", fid).isEqualTo(logs.get(fid));
        assertThat(client.run(fid).state()).isEqualTo(RunState.DONE);
      }
      for (String fid : inFlight) {
        RunDocument run = client.run(fid);
        assertThat(run.state()).isEqualTo(RunState.ERROR);
        assertThat(run.error().path("reason").asString()).isEqualTo("node-restarted");
        List<Event> events = new ArrayList<>();
        client.stream(fid, 0, events::add);
        assertThat(events.getLast().type()).isEqualTo("fatal");
        assertThat(NodeTestSupport.seqs(events))
            .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
      }
      // A run that was locked when the node died ends the same way, and its demand is gone.
      RunDocument wasLocked = client.run(lockedRun.fid());
      assertThat(wasLocked.state()).isEqualTo(RunState.ERROR);
      assertThat(wasLocked.error().path("reason").asString()).isEqualTo("node-restarted");
      String lid = lockedRun.lock().path("lid").asString();
      assertThat(
              NodeTestSupport.get(
                      "http://127.0.0.1:" + port, "/api/runs/" + lockedRun.fid() + "/locks/" + lid)
                  .statusCode())
          .isEqualTo(404);

      // The restarted node works as before.
      RunDocument after =
          client.launch("dev.kodo.examples.MarketReport", Map.of("company", "Phoenix"));
      assertThat(client.stream(after.fid(), 0, e -> {})).isGreaterThan(3);
      assertThat(client.run(after.fid()).state()).isEqualTo(RunState.DONE);
    }
  }
}
