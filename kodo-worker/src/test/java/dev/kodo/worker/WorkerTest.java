package dev.kodo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.Json;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.cluster.testing.InMemoryCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.sdk.Flow;
import dev.kodo.worker.WorkerTestFlows.Gate;
import dev.kodo.worker.WorkerTestFlows.Gates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A worker on a one-member cluster, driven the way a node drives it: tickets go on the run queue,
 * and the node's event queue is read with {@link Cluster#receiveEvents}.
 */
class WorkerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final FlowCatalog CATALOG =
      FlowCatalog.of(
          LoadedFlow.of(WorkerTestFlows.Steps.class),
          LoadedFlow.of(WorkerTestFlows.Thrower.class),
          LoadedFlow.of(WorkerTestFlows.Greeter.class),
          LoadedFlow.of(WorkerTestFlows.Counter.class),
          LoadedFlow.of(WorkerTestFlows.SelfInterrupting.class),
          LoadedFlow.of(WorkerTestFlows.Sleeper.class),
          LoadedFlow.of(WorkerTestFlows.Gated.class),
          LoadedFlow.of(WorkerTestFlows.Quick.class),
          LoadedFlow.of(WorkerTestFlows.Erring.class),
          LoadedFlow.of(WorkerTestFlows.Deaf.class),
          LoadedFlow.of(WorkerTestFlows.Finishing.class));

  private static Cluster cluster;

  private final String node = "node-" + UUID.randomUUID();
  private final List<Event> received = new ArrayList<>();
  private Worker worker;

  @BeforeAll
  static void startCluster() {
    cluster = new InMemoryCluster();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void emptyTheRunQueue() throws InterruptedException {
    while (cluster.takeRun(0) != null) {
      // left over by an earlier test
    }
  }

  @AfterEach
  void closeWorker() {
    if (worker != null) {
      worker.close();
    }
  }

  private Worker start(int capacity) {
    worker = Worker.start(cluster, CATALOG, new WorkerOptions("w-" + capacity, capacity));
    return worker;
  }

  private String dispatch(Class<? extends Flow> flow, String inputs) {
    return dispatch(flow.getName(), inputs);
  }

  private String dispatch(String flow, String inputs) {
    String fid = UUID.randomUUID().toString();
    cluster.dispatch(new RunTicket(fid, flow, inputs, node));
    return fid;
  }

  /** Reads the node's queue until the run {@code fid} ended; returns that run's events. */
  private List<Event> untilEnd(String fid) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < end) {
      if (received.stream().anyMatch(e -> e.fid().equals(fid) && e.terminal())) {
        return of(fid);
      }
      cluster.receiveEvents(node, 100, received::addAll);
    }
    throw new AssertionError(
        "run " + fid + " did not end within " + DEADLINE + "; events so far: " + of(fid));
  }

  private List<Event> of(String fid) {
    return received.stream().filter(e -> e.fid().equals(fid)).toList();
  }

  private static List<String> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  private static void eventually(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void aTakenTicketSharesTheStringsTheNodeHolds() {
    // Copies, as a ticket decoded from the cluster has them (docs/performance.md#parked-runs).
    String fid = new String(UUID.randomUUID().toString().toCharArray());
    String nodeFid = fid.intern(); // the node interns the fids it makes
    RunTicket decoded =
        new RunTicket(
            new String(fid.toCharArray()),
            new String("flow.Path".toCharArray()),
            new String("{}".toCharArray()),
            new String("node-1".toCharArray()),
            "00-trace",
            42L);
    RunTicket shared = Worker.shared(decoded);
    assertThat(shared).isEqualTo(decoded);
    assertThat(shared.fid()).isSameAs(nodeFid);
    assertThat(shared.flow()).isSameAs("flow.Path");
    assertThat(shared.inputs()).isSameAs("{}");
    assertThat(shared.node()).isSameAs("node-1");
    RunTicket noNode = new RunTicket(fid, "f", "{\"a\":1}", null, null, 0L);
    assertThat(Worker.shared(noNode)).isEqualTo(noNode);
  }

  @Test
  void executesADispatchedRunAndSendsItsEventsToTheNodeInOrder() throws InterruptedException {
    start(4);

    String fid = dispatch(WorkerTestFlows.Steps.class, "{}");
    List<Event> events = untilEnd(fid);

    assertThat(types(events)).containsExactly("progress", "stdout", "result", "progress", "final");
    assertThat(events)
        .extracting(e -> e.dataNode().path("message").asString(""))
        .containsExactly("one", "", "", "two", "");
    assertThat(events.get(1).dataNode().path("line").asString()).isEqualTo("a line");
    JsonNode fin = events.getLast().dataNode();
    assertThat(fin.path("result"))
        .isEqualTo(Json.read("{\"format\":\"markdown\",\"body\":\"# done\"}"));
    assertThat(fin.path("runtime").isNumber()).isTrue();
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.seq()).as("the node numbers events, not the worker").isZero();
              assertThat(e.kind()).isEqualTo("process");
              assertThat(e.ts().getNano() % 1_000_000)
                  .as("timestamps are whole milliseconds")
                  .isZero();
            });
  }

  @Test
  void aFlowThatThrowsEndsWithFatal() throws InterruptedException {
    start(4);

    List<Event> events = untilEnd(dispatch(WorkerTestFlows.Thrower.class, "{}"));

    assertThat(types(events)).containsExactly("progress", "fatal");
    JsonNode fatal = events.getLast().dataNode();
    assertThat(fatal.path("reason").asString()).isEqualTo("exception");
    assertThat(fatal.path("message").asString())
        .isEqualTo("IllegalStateException: database unreachable");
    assertThat(fatal.path("where").get(0).asString()).contains("WorkerTestFlows$Thrower.run");
  }

  @Test
  void aRunOfAFlowTheWorkerDoesNotOfferStaysOnTheClusterAndTheWorkerAdvertisesItsFlows()
      throws InterruptedException {
    start(4);

    dispatch("com.acme.NotDeployedHere", "{}");
    Thread.sleep(1_000);

    assertThat(cluster.queueDepths()).containsEntry("com.acme.NotDeployedHere", 1);
    assertThat(cluster.workers())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.id()).isEqualTo(worker.id());
              assertThat(w.flows()).doesNotContain("com.acme.NotDeployedHere").isNotEmpty();
              assertThat(w.capacity()).isEqualTo(4);
            });
  }

  @Test
  void invalidInputsEndWithFatalInputsInvalidNamingTheField() throws InterruptedException {
    start(4);

    List<Event> missing = untilEnd(dispatch(WorkerTestFlows.Greeter.class, "{\"times\":2}"));
    List<Event> outOfRange =
        untilEnd(dispatch(WorkerTestFlows.Greeter.class, "{\"name\":\"Ada\",\"times\":9}"));
    List<Event> notJson = untilEnd(dispatch(WorkerTestFlows.Greeter.class, "name=Ada"));
    List<Event> notAnObject = untilEnd(dispatch(WorkerTestFlows.Greeter.class, "[\"Ada\"]"));

    for (List<Event> events : List.of(missing, outOfRange, notJson, notAnObject)) {
      assertThat(types(events)).containsExactly("fatal");
      assertThat(events.getFirst().dataNode().path("reason").asString())
          .isEqualTo("inputs-invalid");
    }
    assertThat(missing.getFirst().dataNode().path("message").asString()).contains("name");
    assertThat(outOfRange.getFirst().dataNode().path("message").asString()).contains("times");
  }

  @Test
  void validInputsReachTheFlow() throws InterruptedException {
    start(4);

    List<Event> events =
        untilEnd(dispatch(WorkerTestFlows.Greeter.class, "{\"name\":\"Ada\",\"times\":3}"));

    assertThat(types(events)).containsExactly("final");
    assertThat(events.getFirst().dataNode().path("result").path("body").asString())
        .isEqualTo("Hello, Ada!!!");
  }

  @Test
  void aFlowThatRestoresAStrayInterruptStillEndsWithFinal() throws InterruptedException {
    start(4);

    List<Event> events = untilEnd(dispatch(WorkerTestFlows.SelfInterrupting.class, "{}"));

    assertThat(types(events)).containsExactly("progress", "progress", "final");
    assertThat(events.getLast().dataNode().path("result").path("body").asString())
        .isEqualTo("finished anyway");
  }

  @Test
  void eventsOfManyConcurrentRunsEachArriveInTheOrderTheyWereEmitted() throws InterruptedException {
    start(50);
    int runs = 30;
    int count = 200;

    List<String> fids =
        IntStream.range(0, runs)
            .mapToObj(i -> dispatch(WorkerTestFlows.Counter.class, "{\"count\":" + count + "}"))
            .toList();

    List<String> expected =
        new ArrayList<>(IntStream.range(0, count).mapToObj(i -> "#" + i).toList());
    for (String fid : fids) {
      List<Event> events = untilEnd(fid);
      assertThat(events).hasSize(count + 1);
      assertThat(events.subList(0, count))
          .extracting(e -> e.dataNode().path("message").asString())
          .as("progress of run %s", fid)
          .containsExactlyElementsOf(expected);
      assertThat(events.getLast().type()).isEqualTo("final");
    }
  }

  @Test
  void aKillInterruptsASleepingFlowAndTheWorkerSendsNothingMoreForIt() throws InterruptedException {
    start(4);
    String fid = dispatch(WorkerTestFlows.Sleeper.class, "{}");
    assertThat(Gates.awaitStarted(fid, DEADLINE)).as("the sleeper started").isTrue();
    assertThat(worker.active()).isEqualTo(1);

    cluster.kill(fid);

    eventually("the killed run is no longer active", () -> worker.active() == 0);
    eventually("the sleeper was interrupted", () -> Gates.INTERRUPTED.contains(fid));
    eventually("the killed run's assignment is cleared", () -> cluster.assignee(fid) == null);
    // The outbox keeps emission order: once a later run's final arrived, anything the killed run
    // sent would have arrived before it.
    untilEnd(dispatch(WorkerTestFlows.Steps.class, "{}"));
    assertThat(of(fid)).extracting(Event::type).containsExactly("progress");
  }

  /**
   * A worker asks the cluster about a taken batch at once (Cluster.killedElseAssign); when that
   * call fails, each run asks on its own: a run killed before it was taken still does not run, the
   * others run and are assigned to the worker.
   */
  @Test
  void whenTheBatchCheckFailsEachRunChecksOnItsOwn() throws InterruptedException {
    ((InMemoryCluster) cluster).failBatchChecks(true);
    try {
      String killed = UUID.randomUUID().toString();
      cluster.kill(killed);
      cluster.dispatch(new RunTicket(killed, WorkerTestFlows.Steps.class.getName(), "{}", node));
      String first = dispatch(WorkerTestFlows.Steps.class, "{}");
      String second = dispatch(WorkerTestFlows.Steps.class, "{}");
      start(4);

      assertThat(types(untilEnd(first))).endsWith("final");
      assertThat(types(untilEnd(second))).endsWith("final");
      eventually("every run has left the worker", () -> worker.active() == 0);
      assertThat(of(killed)).as("the run killed before it was taken never ran").isEmpty();
    } finally {
      ((InMemoryCluster) cluster).failBatchChecks(false);
    }
  }

  @Test
  void aKilledRunFreesItsSlotForTheNextRun() throws InterruptedException {
    start(1);
    String sleeper = dispatch(WorkerTestFlows.Sleeper.class, "{}");
    assertThat(Gates.awaitStarted(sleeper, DEADLINE)).isTrue();
    String next = dispatch(WorkerTestFlows.Steps.class, "{}");

    cluster.kill(sleeper);

    assertThat(types(untilEnd(next))).endsWith("final");
  }

  @Test
  void neverRunsMoreThanItsCapacityAndRunsTheRestAsSlotsFree() throws InterruptedException {
    start(2);
    String name = "cap-" + UUID.randomUUID();
    Gate gate = Gates.get(name);
    List<String> fids =
        IntStream.range(0, 5)
            .mapToObj(i -> dispatch(WorkerTestFlows.Gated.class, "{\"gate\":\"" + name + "\"}"))
            .toList();

    eventually("two runs wait at the gate", () -> gate.entered() == 2);
    assertThat(worker.active()).isEqualTo(2);
    assertThat(cluster.queuedRuns()).as("the other runs wait on the cluster").isEqualTo(3);

    gate.open();

    Map<String, List<String>> ends = new HashMap<>();
    for (String fid : fids) {
      ends.put(fid, types(untilEnd(fid)));
    }
    assertThat(ends.values()).allSatisfy(t -> assertThat(t).containsExactly("final"));
    assertThat(gate.entered()).isEqualTo(5);
    assertThat(gate.mostInside()).isEqualTo(2);
    eventually("the worker is idle", () -> worker.active() == 0);
    assertThat(worker.mostActive()).isEqualTo(2);
  }

  @Test
  void theAssignmentNamesTheWorkerWhileTheRunExecutesAndIsClearedAfter()
      throws InterruptedException {
    start(4);
    String name = "assign-" + UUID.randomUUID();
    Gate gate = Gates.get(name);

    String fid = dispatch(WorkerTestFlows.Gated.class, "{\"gate\":\"" + name + "\"}");
    eventually("the run waits at the gate", () -> gate.entered() == 1);

    assertThat(cluster.assignee(fid)).isEqualTo(worker.id());
    assertThat(worker.id()).startsWith("w-4@").endsWith(cluster.memberId());

    gate.open();
    assertThat(types(untilEnd(fid))).containsExactly("final");
    eventually("the assignment is cleared", () -> cluster.assignee(fid) == null);
  }

  @Test
  void closeStopsTakingRunsAndInterruptsTheRunsInFlight() throws InterruptedException {
    start(4);
    String sleeper = dispatch(WorkerTestFlows.Sleeper.class, "{}");
    assertThat(Gates.awaitStarted(sleeper, DEADLINE)).isTrue();

    worker.close();

    eventually("the run in flight was interrupted", () -> Gates.INTERRUPTED.contains(sleeper));
    List<Event> cut = untilEnd(sleeper);
    assertThat(types(cut)).as("the node learns that the run ended").endsWith("fatal");
    assertThat(cut.getLast().dataNode().path("reason").asString()).isEqualTo("worker-stopped");
    String later = dispatch(WorkerTestFlows.Steps.class, "{}");
    assertThat(cluster.queuedRuns()).as("nobody took the run dispatched after close").isEqualTo(1);
    assertThat(cluster.takeRun(1_000).fid()).isEqualTo(later);
  }

  /**
   * Whichever way the race between a run's arrival and {@code close()} goes, the run is not lost:
   * either its ticket is back on the queue, never started, or the node receives exactly one end of
   * it (final if it finished on its own, fatal / worker-stopped if the close cut it short). Odd
   * rounds use a flow that never ends on its own, so that only the close can end it.
   */
  @Test
  void aRunArrivingWhileTheWorkerClosesIsExecutedOrLeftForAnotherWorkerNeverLost()
      throws InterruptedException {
    for (int round = 0; round < 10; round++) {
      start(4);
      boolean endless = round % 2 == 1;
      String fid =
          dispatch(endless ? WorkerTestFlows.Sleeper.class : WorkerTestFlows.Quick.class, "{}");
      worker.close();
      RunTicket left = cluster.takeRun(0);
      if (left == null) {
        untilEnd(fid);
        cluster.receiveEvents(node, 200, received::addAll); // anything sent after the first end
        List<Event> ends = of(fid).stream().filter(Event::terminal).toList();
        assertThat(ends)
            .as(
                "round %d: the node receives one end of the run the worker took: %s",
                round, of(fid))
            .hasSize(1);
        Event end = ends.getFirst();
        if (endless || end.type().equals("fatal")) {
          assertThat(end.type()).as("round %d", round).isEqualTo("fatal");
          assertThat(end.dataNode().path("reason").asString())
              .as("round %d", round)
              .isEqualTo("worker-stopped");
        } else {
          assertThat(end.type()).as("round %d", round).isEqualTo("final");
        }
      } else {
        assertThat(left.fid()).as("round %d: the run given back", round).isEqualTo(fid);
        assertThat(Gates.awaitStarted(fid, Duration.ZERO))
            .as("round %d: a run given back was not started", round)
            .isFalse();
      }
    }
  }

  /**
   * The race the test above hits only now and then, made certain: the flow's {@code final} is
   * claimed but not yet sent (held in the telemetry call between the two) when the worker stops.
   * The node gets that {@code final} and no {@code worker-stopped} beside it.
   */
  @Test
  void aFinalClaimedBeforeTheWorkerStopsIsTheRunsOnlyEnd() throws InterruptedException {
    java.util.concurrent.CountDownLatch claimed = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    WorkerTelemetry holdTheFinal =
        (w, ticket) ->
            new WorkerTelemetry.RunTelemetry() {
              @Override
              public void emitted(dev.kodo.client.EventType type, String data) {
                if (!type.terminal()) return;
                claimed.countDown();
                // Not interruptible: the stop interrupts the flow's thread as it abandons the run.
                while (true) {
                  try {
                    release.await();
                    return;
                  } catch (InterruptedException e) {
                    // the stop's interrupt: keep holding until the test releases
                  }
                }
              }
            };
    worker =
        Worker.start(
            cluster,
            CATALOG,
            new WorkerOptions("w-hold", 1),
            dev.kodo.engine.RunEnvironment.PROCESS,
            holdTheFinal);
    String fid = dispatch(WorkerTestFlows.Quick.class, "{}");
    assertThat(claimed.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("the flow claimed its end")
        .isTrue();
    Worker stopping = worker;
    Thread stop = Thread.ofPlatform().start(stopping::close);
    eventually("the stop abandoned the run", () -> stopping.active() == 0);
    release.countDown();
    stop.join(DEADLINE.toMillis());
    assertThat(stop.isAlive()).as("the stop returned").isFalse();

    untilEnd(fid);
    cluster.receiveEvents(node, 200, received::addAll); // anything sent after the first end
    assertThat(of(fid).stream().filter(Event::terminal).map(Event::type).toList())
        .as("the run's ends: %s", of(fid))
        .containsExactly("final");
  }

  @ParameterizedTest
  @CsvSource({
    "oom, java.lang.OutOfMemoryError",
    "internal, java.lang.InternalError",
    "stack, java.lang.StackOverflowError",
    "init, java.lang.ExceptionInInitializerError",
    "linkage, java.lang.NoClassDefFoundError"
  })
  void aFlowThrowingAnErrorEndsWithFatalAndTheWorkerGoesOn(String kind, String error)
      throws InterruptedException {
    start(4);

    List<Event> events =
        untilEnd(dispatch(WorkerTestFlows.Erring.class, "{\"kind\":\"" + kind + "\"}"));

    assertThat(types(events)).containsExactly("progress", "fatal");
    JsonNode fatal = events.getLast().dataNode();
    assertThat(fatal.path("reason").asString()).isEqualTo("exception");
    assertThat(fatal.path("error").asString()).isEqualTo(error);
    eventually("the slot of the failed run is free", () -> worker.active() == 0);
    assertThat(types(untilEnd(dispatch(WorkerTestFlows.Steps.class, "{}")))).endsWith("final");
  }

  @Test
  void aKilledFlowThatIgnoresTheInterruptIsLeakedAndHoldsItsSlotUntilItReturns()
      throws InterruptedException {
    start(1);
    String name = "deaf-" + UUID.randomUUID();
    Gate gate = Gates.get(name);
    String deaf = dispatch(WorkerTestFlows.Deaf.class, "{\"gate\":\"" + name + "\"}");
    eventually("the deaf flow spins", () -> gate.entered() == 1);

    try {
      cluster.kill(deaf);

      eventually(
          "the killed run no longer counts as active but as leaked",
          () -> worker.active() == 0 && worker.leaked() == 1);
      assertThat(gate.inside()).as("the flow still spins").isEqualTo(1);
    } finally {
      gate.open();
    }
    String next = dispatch(WorkerTestFlows.Steps.class, "{}");
    assertThat(types(untilEnd(next)))
        .as("the slot came back when the flow returned")
        .endsWith("final");
    eventually("nothing is leaked any more", () -> worker.leaked() == 0);
    assertThat(types(of(deaf)))
        .as("what the deaf flow emitted after its kill was dropped")
        .containsExactly("progress");
  }

  @Test
  void stopLetsRunsFinishWithinTheGraceAndEndsTheOthersWithWorkerStopped()
      throws InterruptedException {
    start(4);
    String name = "grace-" + UUID.randomUUID();
    Gate gate = Gates.get(name);
    String finishing = dispatch(WorkerTestFlows.Finishing.class, "{\"gate\":\"" + name + "\"}");
    String sleeper = dispatch(WorkerTestFlows.Sleeper.class, "{}");
    eventually("both runs execute", () -> gate.entered() == 1 && worker.active() == 2);
    Thread opener =
        Thread.ofVirtual()
            .start(
                () -> {
                  LockSupport.parkNanos(200_000_000L);
                  gate.open();
                });

    try {
      worker.stop(Duration.ofSeconds(5));
    } finally {
      gate.open();
      opener.join();
    }

    assertThat(types(untilEnd(finishing)))
        .as("the run that ended within the grace")
        .containsExactly("final");
    List<Event> cut = untilEnd(sleeper);
    assertThat(types(cut)).containsExactly("progress", "fatal");
    assertThat(cut.getLast().dataNode().path("reason").asString()).isEqualTo("worker-stopped");
    assertThat(Gates.INTERRUPTED).contains(sleeper);
  }
}
