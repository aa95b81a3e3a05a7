package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.cli.workerflows.Asking;
import dev.kodo.cli.workerflows.Fragile;
import dev.kodo.cli.workerflows.Resilient;
import dev.kodo.client.Event;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of a {@code koco worker} mid-run (docs/architecture.md#worker-loss): its runs end
 * worker-lost within 30 s, a {@code @RetrySafe} run is re-queued and ends done on the other worker,
 * an answer to the lock of a run whose worker is gone gets 409, and the node keeps serving.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkerLossIT {
  private static final String FLOWS =
      String.join(",", Fragile.class.getName(), Resilient.class.getName(), Asking.class.getName());
  private final ScaleOut fleet = new ScaleOut();

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  @Test
  void aKilledWorkersRunsEndWorkerLostOrMoveToTheOtherWorker() throws Exception {
    fleet.startNode(FLOWS, Map.of());
    KocoProcess doomed = fleet.startWorker("doomed", FLOWS, List.of());
    String fragile = fleet.client.launch(Fragile.class.getName(), Map.of()).fid();
    String resilient = fleet.client.launch(Resilient.class.getName(), Map.of()).fid();
    String asking = fleet.client.launch(Asking.class.getName(), Map.of()).fid();
    for (String fid : List.of(fragile, resilient)) {
      ScaleOut.await(
          "run " + fid + " to run on the doomed worker",
          60,
          () -> progress(fid).contains("pid " + doomed.pid()) ? true : null);
    }
    ScaleOut.await(
        "run " + asking + " to be locked",
        60,
        () -> fleet.client.run(asking).state() == RunState.LOCKED ? true : null);
    String lid = fleet.client.run(asking).lock().path("lid").asString();
    // The survivor offers the same flows; every run above is on the doomed worker already.
    KocoProcess survivor = fleet.startWorker("survivor", FLOWS, List.of());

    doomed.kill9();
    long killed = System.nanoTime();

    for (String fid : List.of(fragile, asking)) {
      RunDocument r = fleet.untilFinished(fid, 30);
      assertThat(r.state()).as("run %s", fid).isEqualTo(RunState.ERROR);
      assertThat(r.error().path("reason").asString()).isEqualTo("worker-lost");
    }
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed)).isLessThanOrEqualTo(30);

    // The retry-safe run starts again on the survivor (its second attempt sleeps 10 min too, so
    // it is killed below once it is seen there).
    ScaleOut.await(
        "run " + resilient + " to run on the survivor",
        60,
        () -> progress(resilient).contains("pid " + survivor.pid()) ? true : null);
    List<Event> events = fleet.client.events(resilient, 0, 200).items();
    assertThat(events)
        .anySatisfy(e -> assertThat(e.data()).contains("is back on the cluster, attempt 2 of 4"));
    assertThat(fleet.client.run(resilient).state()).isEqualTo(RunState.PENDING);

    assertThatThrownBy(() -> fleet.client.answer(asking, lid, Map.of("ok", true)))
        .isInstanceOfSatisfying(
            NodeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.problem().detail()).contains("lost the worker executing it");
            });

    // The node keeps serving: a new run ends done on the survivor.
    String after = fleet.client.launch(Fragile.class.getName(), Map.of("millis", 10)).fid();
    RunDocument r = fleet.untilFinished(after, 60);
    assertThat(r.state()).isEqualTo(RunState.DONE);
    assertThat(r.result().findValue("pid").asLong()).isEqualTo(survivor.pid());
    fleet.client.kill(resilient);
  }

  @Test
  void aRetrySafeRunEndsDoneOnTheOtherWorker() throws Exception {
    fleet.startNode(FLOWS, Map.of());
    KocoProcess doomed = fleet.startWorker("doomed", FLOWS, List.of("-Dresilient.millis=600000"));
    String resilient = fleet.client.launch(Resilient.class.getName(), Map.of("millis", 0)).fid();
    ScaleOut.await(
        "run " + resilient + " to run on the doomed worker",
        60,
        () -> progress(resilient).contains("pid " + doomed.pid()) ? true : null);
    KocoProcess survivor = fleet.startWorker("survivor", FLOWS, List.of());

    doomed.kill9();

    RunDocument r = fleet.untilFinished(resilient, 60);
    assertThat(r.state()).isEqualTo(RunState.DONE);
    assertThat(r.result().findValue("pid").asLong()).isEqualTo(survivor.pid());
  }

  private String progress(String fid) {
    StringBuilder all = new StringBuilder();
    for (Event e : fleet.client.events(fid, 0, 200).items()) {
      if (e.type().equals("progress")) {
        all.append(e.data());
      }
    }
    return all.toString();
  }
}
