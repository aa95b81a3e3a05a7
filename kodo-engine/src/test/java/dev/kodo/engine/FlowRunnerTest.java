package dev.kodo.engine;

import static dev.kodo.client.EventType.ACTION;
import static dev.kodo.client.EventType.FATAL;
import static dev.kodo.client.EventType.FINAL;
import static dev.kodo.client.EventType.PROGRESS;
import static dev.kodo.client.EventType.RESULT;
import static dev.kodo.client.EventType.STDOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Json;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.internal.SdkBridge;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FlowRunnerTest {
  private final Recorder sink = new Recorder();

  private RunOutcome run(Class<? extends Flow> type) {
    LoadedFlow flow = LoadedFlow.of(type);
    return FlowRunner.run(
        flow, SdkBridge.validate(flow.spec().inputs(), Map.of()), new RunHandle("run-1"), sink);
  }

  @Test
  void turnsContextCallsIntoEventsInOrder() {
    assertThat(run(EngineTestFlows.Chatty.class)).isEqualTo(RunOutcome.DONE);

    assertThat(sink.types())
        .containsExactly(
            PROGRESS, PROGRESS, PROGRESS, PROGRESS, RESULT, RESULT, ACTION, ACTION, STDOUT, FINAL);
    assertThat(sink.data(PROGRESS))
        .extracting(d -> d.path("value").asDouble())
        .containsExactly(0.5, 0.0, 1.0, 0.0);
    assertThat(sink.data(PROGRESS))
        .extracting(d -> d.path("message").isNull() ? null : d.path("message").asString())
        .containsExactly("half way", "below", "above", null);
    assertThat(sink.data(RESULT).get(0))
        .isEqualTo(Json.read("{\"format\":\"markdown\",\"body\":\"# Interim\"}"));
    assertThat(sink.data(RESULT).get(1))
        .isEqualTo(Json.read("{\"format\":\"json\",\"body\":{\"found\":3}}"));
    assertThat(sink.data(ACTION).get(0))
        .isEqualTo(Json.read("{\"name\":\"fetch\",\"data\":{\"url\":\"https://example.org\"}}"));
    assertThat(sink.data(ACTION).get(1)).isEqualTo(Json.read("{\"name\":\"think\",\"data\":null}"));
    assertThat(sink.lines(STDOUT)).containsExactly("a \"quoted\" log line");
  }

  @Test
  void endsWithTheReturnedResultAndItsRuntime() {
    run(EngineTestFlows.Chatty.class);
    JsonNode fin = sink.only(FINAL);
    assertThat(fin.path("result")).isEqualTo(Json.read("{\"format\":\"json\",\"body\":[1,2,3]}"));
    assertThat(fin.path("runtime").isNumber()).isTrue();
    assertThat(fin.path("runtime").asDouble()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void givesTheFlowItsValidatedInputs() {
    LoadedFlow flow = LoadedFlow.of(EngineTestFlows.Hello.class);
    Inputs inputs = SdkBridge.validate(flow.spec().inputs(), Map.of("name", "Ada", "times", "3"));
    FlowRunner.run(flow, inputs, new RunHandle("run-1"), sink);
    assertThat(sink.only(FINAL).path("result").path("body").asString()).isEqualTo("Hello, Ada!!!");
  }

  @Nested
  class Failures {
    @Test
    void anExceptionBecomesFatalWithReasonMessageErrorWhereAndCause() {
      assertThat(run(EngineTestFlows.Thrower.class)).isEqualTo(RunOutcome.ERROR);
      assertThat(sink.types()).containsExactly(FATAL);
      JsonNode fatal = sink.only(FATAL);
      assertThat(fatal.path("reason").asString()).isEqualTo("exception");
      assertThat(fatal.path("message").asString())
          .isEqualTo("IllegalStateException: database unreachable");
      assertThat(fatal.path("error").asString()).isEqualTo("java.lang.IllegalStateException");
      assertThat(fatal.path("where").get(0).asString())
          .startsWith("dev.kodo.engine.EngineTestFlows$Thrower.run(EngineTestFlows.java:");
      assertThat(fatal.path("where").size()).isBetween(1, 8);
      assertThat(fatal.path("cause").asString())
          .isEqualTo("java.io.IOException: connection refused");
    }

    @Test
    void aCheckedExceptionToo() {
      assertThat(run(EngineTestFlows.CheckedThrower.class)).isEqualTo(RunOutcome.ERROR);
      assertThat(sink.only(FATAL).path("message").asString()).isEqualTo("IOException: disk full");
      assertThat(sink.only(FATAL).has("cause")).isFalse();
    }

    @Test
    void anAnonymousExceptionIsNamedByItsClass() {
      run(EngineTestFlows.AnonymousThrower.class);
      assertThat(sink.only(FATAL).path("message").asString())
          .isEqualTo("dev.kodo.engine.EngineTestFlows$AnonymousThrower$1: odd");
    }

    @Test
    void aNullResultIsFatalNoResult() {
      assertThat(run(EngineTestFlows.NullResult.class)).isEqualTo(RunOutcome.ERROR);
      JsonNode fatal = sink.only(FATAL);
      assertThat(fatal.path("reason").asString()).isEqualTo("no-result");
      assertThat(fatal.path("message").asString())
          .isEqualTo(
              "flow dev.kodo.engine.EngineTestFlows$NullResult returned null; return Result.markdown(...) or Result.json(...)");
      assertThat(fatal.has("error")).isFalse();
      assertThat(sink.types()).doesNotContain(FINAL);
    }

    @Test
    void aStackOverflowEndsTheRunNotTheWorker() {
      assertThat(run(EngineTestFlows.Recursive.class)).isEqualTo(RunOutcome.ERROR);
      assertThat(sink.only(FATAL).path("error").asString())
          .isEqualTo("java.lang.StackOverflowError");
    }

    @Test
    void anOutOfMemoryErrorEndsTheRunBeforeItReachesTheHost() {
      assertThatThrownBy(() -> run(EngineTestFlows.HeapExhausting.class))
          .as("the host still learns of a broken JVM")
          .isInstanceOf(OutOfMemoryError.class);
      JsonNode fatal = sink.only(FATAL);
      assertThat(fatal.path("reason").asString()).isEqualTo("exception");
      assertThat(fatal.path("error").asString()).isEqualTo("java.lang.OutOfMemoryError");
      assertThat(fatal.path("message").asString())
          .isEqualTo("OutOfMemoryError: Java heap space (test)");
    }

    @Test
    void aFailingConstructorIsFatal() {
      EngineTestFlows.FragileConstructor.INSTANCES.set(0);
      assertThat(run(EngineTestFlows.FragileConstructor.class)).isEqualTo(RunOutcome.ERROR);
      assertThat(sink.only(FATAL).path("message").asString())
          .contains(
              "flow class dev.kodo.engine.EngineTestFlows$FragileConstructor failed in its constructor")
          .contains("missing configuration");
    }

    @Test
    void aCancelledExceptionWithoutAKillIsAnErrorNotASilentEnd() {
      // Nobody records a kill for it, so ending as "killed" would leave the run pending for ever.
      assertThat(run(EngineTestFlows.SelfCancelling.class)).isEqualTo(RunOutcome.ERROR);
      assertThat(sink.only(FATAL).path("message").asString())
          .isEqualTo("CancelledException: run run-1 was cancelled");
    }
  }

  @Nested
  class Cancellation {
    private final RunHandle handle = new RunHandle("run-k");

    @BeforeEach
    void reset() {
      EngineTestFlows.Sleeper.reset();
      EngineTestFlows.Stubborn.started = new CountDownLatch(1);
      EngineTestFlows.FailsWhenKilled.started = new CountDownLatch(1);
    }

    /**
     * Runs the flow on its own thread, kills it once {@code started} opens, and returns how it
     * ended.
     */
    private RunOutcome killWhenStarted(Class<? extends Flow> type, CountDownLatch started)
        throws Exception {
      LoadedFlow flow = LoadedFlow.of(type);
      AtomicReference<RunOutcome> outcome = new AtomicReference<>();
      Thread t =
          Thread.ofVirtual()
              .start(
                  () ->
                      outcome.set(
                          FlowRunner.run(
                              flow,
                              SdkBridge.validate(flow.spec().inputs(), Map.of()),
                              handle,
                              sink)));
      assertThat(started.await(10, TimeUnit.SECONDS)).as("flow started").isTrue();
      handle.cancel();
      assertThat(t.join(Duration.ofSeconds(10))).as("flow ended after the kill").isTrue();
      return outcome.get();
    }

    @Test
    void aFlowBlockedInSleepIsKilledWithoutFatal() throws Exception {
      assertThat(killWhenStarted(EngineTestFlows.Sleeper.class, EngineTestFlows.Sleeper.started))
          .isEqualTo(RunOutcome.KILLED);
      assertThat(sink.types()).containsExactly(PROGRESS);
    }

    @Test
    void aFlowThatIgnoresTheKillStillEndsKilledWithoutFinal() throws Exception {
      assertThat(killWhenStarted(EngineTestFlows.Stubborn.class, EngineTestFlows.Stubborn.started))
          .isEqualTo(RunOutcome.KILLED);
      assertThat(sink.types()).doesNotContain(FINAL, FATAL);
    }

    @Test
    void anExceptionCausedByTheKillIsNotFatal() throws Exception {
      assertThat(
              killWhenStarted(
                  EngineTestFlows.FailsWhenKilled.class, EngineTestFlows.FailsWhenKilled.started))
          .isEqualTo(RunOutcome.KILLED);
      assertThat(sink.types()).doesNotContain(FATAL);
    }

    @Test
    void aRunCancelledBeforeItStartsSeesItAtOnce() {
      handle.cancel();
      LoadedFlow flow = LoadedFlow.of(EngineTestFlows.Checker.class);
      assertThat(
              FlowRunner.run(
                  flow, SdkBridge.validate(flow.spec().inputs(), Map.of()), handle, sink))
          .isEqualTo(RunOutcome.KILLED);
      assertThat(sink.types()).isEmpty();
      assertThat(Thread.currentThread().isInterrupted())
          .as("the calling thread is not left interrupted")
          .isFalse();
    }

    @Test
    void theRunningThreadIsNotLeftInterrupted() throws Exception {
      LoadedFlow flow = LoadedFlow.of(EngineTestFlows.Sleeper.class);
      Thread killer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      EngineTestFlows.Sleeper.started.await();
                      handle.cancel();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      assertThat(
              FlowRunner.run(
                  flow, SdkBridge.validate(flow.spec().inputs(), Map.of()), handle, sink))
          .isEqualTo(RunOutcome.KILLED);
      killer.join();
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      handle.cancel(); // a late kill must not hit the thread either
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }
}
