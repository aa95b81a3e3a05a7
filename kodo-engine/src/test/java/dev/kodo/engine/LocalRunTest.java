package dev.kodo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.sdk.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalRunTest {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void reset() {
    EngineTestFlows.Sleeper.reset();
    EngineTestFlows.Stubborn.started = new CountDownLatch(1);
  }

  private List<String> types() {
    return events.stream().map(Event::type).toList();
  }

  @Test
  void writesTheLogANodeWouldWrite() {
    LoadedFlow flow = LoadedFlow.of(EngineTestFlows.Hello.class);
    RunOutcome outcome = LocalRun.execute(flow, Map.of("name", "Ada"), events::add);

    assertThat(outcome).isEqualTo(RunOutcome.DONE);
    assertThat(types()).containsExactly("inputs", "version", "flow", "final");
    assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(events).extracting(Event::fid).containsOnly(events.getFirst().fid());
    assertThat(events).extracting(Event::kind).containsExactly("data", "data", "data", "process");
    assertThat(events.get(0).dataNode()).isEqualTo(Json.read("{\"name\":\"Ada\",\"times\":1}"));
    assertThat(events.get(1).dataNode().path("java").asString())
        .isEqualTo(Runtime.version().toString());
    assertThat(events.get(1).dataNode().has("kodo")).isTrue();
    assertThat(events.get(2).dataNode())
        .isEqualTo(
            Json.read(
                """
        {"path":"dev.kodo.engine.EngineTestFlows$Hello","name":"Hello","release":"1.2.3","author":"Ada",
         "organization":"Kodo","tags":["test","greeting"]}"""));
  }

  @Test
  void refusesInvalidInputsBeforeWritingAnything() {
    LoadedFlow flow = LoadedFlow.of(EngineTestFlows.Hello.class);
    assertThatThrownBy(() -> LocalRun.execute(flow, Map.of("times", 0), events::add))
        .isInstanceOf(InvalidInputsException.class)
        .hasMessage("invalid inputs: name is required; times must be at least 1 (got 0)");
    assertThat(events).isEmpty();
  }

  @Test
  void killingARunningFlowAppendsKillAndDropsWhatTheFlowEmitsAfter() throws Exception {
    LocalRun run =
        LocalRun.prepare(LoadedFlow.of(EngineTestFlows.Stubborn.class), Map.of(), events::add);
    AtomicReference<RunOutcome> outcome = new AtomicReference<>();
    Thread t = Thread.ofVirtual().start(() -> outcome.set(run.execute()));
    assertThat(EngineTestFlows.Stubborn.started.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(run.kill()).isTrue();
    assertThat(t.join(Duration.ofSeconds(10))).isTrue();

    assertThat(outcome.get()).isEqualTo(RunOutcome.KILLED);
    // The flow printed and reported progress after the kill, and returned a result: all dropped.
    assertThat(types()).containsExactly("inputs", "version", "flow", "kill");
    assertThat(events.getLast().dataNode().path("by").asString()).isEqualTo("local");
    assertThat(run.kill()).as("a second kill").isFalse();
  }

  @Test
  void aKillAfterTheEndDoesNothing() {
    LocalRun run =
        LocalRun.prepare(
            LoadedFlow.of(EngineTestFlows.Hello.class), Map.of("name", "Ada"), events::add);
    assertThat(run.execute()).isEqualTo(RunOutcome.DONE);
    assertThat(run.kill()).isFalse();
    assertThat(types()).containsExactly("inputs", "version", "flow", "final");
  }

  @Test
  void aRunKilledBeforeItStartsNeverRuns() {
    LocalRun run =
        LocalRun.prepare(LoadedFlow.of(EngineTestFlows.Sleeper.class), Map.of(), events::add);
    assertThat(run.kill()).isTrue();
    assertThat(run.execute()).isEqualTo(RunOutcome.KILLED);
    assertThat(EngineTestFlows.Sleeper.ran).isFalse();
    assertThat(types()).containsExactly("inputs", "version", "flow", "kill");
  }

  @Test
  void runsOnlyOnce() {
    LocalRun run =
        LocalRun.prepare(
            LoadedFlow.of(EngineTestFlows.Hello.class), Map.of("name", "Ada"), events::add);
    run.execute();
    assertThatThrownBy(run::execute)
        .isInstanceOf(KodoException.class)
        .hasMessage(
            "run "
                + run.fid()
                + " of dev.kodo.engine.EngineTestFlows$Hello was already executed; prepare a new run");
  }

  /** Leaves a thread behind that reports progress once the run has ended. */
  public static final class LeavesAThread implements Flow {
    static volatile CountDownLatch ended = new CountDownLatch(1);
    static volatile Thread straggler;

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Leaves a thread").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      straggler =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      ended.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    ctx.progress(1, "too late");
                    System.out.println("too late");
                  });
      return Result.markdown("done");
    }
  }

  @Test
  void dropsWhatAFlowsThreadsEmitAfterTheRunEnded() throws Exception {
    RunOutcome outcome =
        LocalRun.execute(LoadedFlow.of(LeavesAThread.class), Map.of(), events::add);
    LeavesAThread.ended.countDown();
    LeavesAThread.straggler.join();

    assertThat(outcome).isEqualTo(RunOutcome.DONE);
    assertThat(types()).containsExactly("inputs", "version", "flow", "final");
  }

  @Test
  void keepsSeqGaplessWhenThreadsOfARunEmitAtOnce() {
    LocalRun.execute(LoadedFlow.of(ParallelReporter.class), Map.of(), events::add);
    assertThat(events)
        .extracting(Event::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 404).boxed().toList());
    assertThat(types().getLast()).isEqualTo("final");
  }

  /** Reports progress from four threads at once. */
  public static final class ParallelReporter implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Parallel reporter").build();
    }

    @Override
    public Result run(FlowContext ctx) throws InterruptedException {
      List<Thread> threads =
          LongStream.range(0, 4)
              .mapToObj(
                  n ->
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                for (int i = 0; i < 100; i++) {
                                  ctx.progress(i / 100.0, "thread " + n);
                                }
                              }))
              .toList();
      for (Thread t : threads) {
        t.join();
      }
      return Result.markdown("done");
    }
  }
}
