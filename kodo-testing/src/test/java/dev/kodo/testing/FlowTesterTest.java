package dev.kodo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.client.Progress;
import dev.kodo.client.RunState;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.sdk.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FlowTesterTest {

  public record Finding(String topic, int score) {}

  public static final class Busy implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Busy")
          .inputs(
              Form.builder()
                  .text("topic", f -> f.required())
                  .number("rounds", f -> f.integer().defaultValue(2)))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      String topic = ctx.inputs().text("topic");
      System.out.println("starting " + topic);
      System.err.println("careful");
      for (int i = 0; i < ctx.inputs().integer("rounds"); i++) {
        ctx.progress((i + 1) / 2.0, "round " + (i + 1));
        ctx.action("search", Map.of("round", i + 1));
        ctx.result(Result.json(new Finding(topic, i)));
      }
      ctx.result(Result.markdown("*interim*"));
      return Result.markdown("# " + topic);
    }
  }

  public static final class JsonAnswer implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Json answer").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      return Result.json(Map.of("answer", 42));
    }
  }

  public static final class Broken implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Broken").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      throw new IllegalArgumentException("no such supplier", new RuntimeException("lookup failed"));
    }
  }

  public static final class Waiting implements Flow {
    static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Waiting").build();
    }

    @Override
    public Result run(FlowContext ctx) throws InterruptedException {
      ctx.progress(0.1, "waiting");
      release.await();
      return Result.markdown("released");
    }
  }

  public static final class NoConstructor implements Flow {
    public NoConstructor(int x) {}

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("x").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      return null;
    }
  }

  private final FlowTester busy = FlowTester.of(Busy.class);

  @Test
  void readsEverythingARunSaid() {
    TestRun run = busy.run(Map.of("topic", "tea"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.flow()).isEqualTo(Busy.class.getName());
    assertThat(run.types()).startsWith("inputs", "version", "flow").endsWith("final");
    assertThat(run.events()).extracting(e -> e.fid()).containsOnly(run.fid());
    assertThat(run.inputs().integer("rounds")).isEqualTo(2);
    assertThat(run.progress())
        .containsExactly(new Progress(0.5, "round 1"), new Progress(1.0, "round 2"));
    assertThat(run.actions()).extracting(TestRun.Action::name).containsExactly("search", "search");
    assertThat(run.actions().get(1).data().path("round").asInt()).isEqualTo(2);
    assertThat(run.results()).hasSize(3);
    assertThat(run.results().get(2)).isEqualTo(Result.markdown("*interim*"));
    assertThat(run.results(Finding.class))
        .containsExactly(new Finding("tea", 0), new Finding("tea", 1));
    assertThat(run.stdout()).containsExactly("starting tea");
    assertThat(run.stderr()).containsExactly("careful");
    assertThat(run.finalResult()).isEqualTo(Result.markdown("# tea"));
    assertThat(run.markdown()).isEqualTo("# tea");
    assertThat(run.runtime()).isGreaterThanOrEqualTo(0);
    assertThat(run.events(EventType.FATAL)).isEmpty();
  }

  @Test
  void convertsJsonResultsToYourTypes() {
    TestRun run = FlowTester.of(JsonAnswer.class).run();
    assertThat(run.finalResult().format()).isEqualTo(Result.Format.JSON);
    assertThat(run.finalResult().body().toString()).isEqualTo("{\"answer\":42}");
    assertThat(busy.run(Map.of("topic", "tea", "rounds", 1)).results(Map.class))
        .singleElement()
        .satisfies(m -> assertThat(m).containsEntry("topic", "tea"));
  }

  @Test
  void explainsAResultThatDoesNotConvert() {
    TestRun run = busy.run(Map.of("topic", "tea", "rounds", 1));
    assertThatThrownBy(() -> run.results(List.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "result 1 of run "
                + run.fid()
                + " of "
                + Busy.class.getName()
                + " is not a List: {\"topic\":\"tea\",\"score\":0}");
  }

  @Test
  void explainsWhyThereIsNoMarkdown() {
    TestRun run = FlowTester.of(JsonAnswer.class).run();
    assertThatThrownBy(run::markdown)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("is JSON, not Markdown");
  }

  @Test
  void readsAFailure() {
    TestRun run = FlowTester.of(Broken.class).run();

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    TestRun.Fatal fatal = run.fatal();
    assertThat(fatal.reason()).isEqualTo("exception");
    assertThat(fatal.message()).isEqualTo("IllegalArgumentException: no such supplier");
    assertThat(fatal.error()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(fatal.where().getFirst()).contains("FlowTesterTest$Broken.run");
    assertThat(fatal.cause()).isEqualTo("java.lang.RuntimeException: lookup failed");
  }

  @Test
  void failsReadablyWhenAskedForWhatARunLacks() {
    TestRun failed = FlowTester.of(Broken.class).run();
    assertThatThrownBy(failed::finalResult)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "has no final result; it is error (IllegalArgumentException: no such supplier)")
        .hasMessageContaining(" fatal {");
    TestRun done = busy.run(Map.of("topic", "tea"));
    assertThatThrownBy(done::fatal)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not fail; it is done");
  }

  @Test
  void refusesInvalidInputsAsANodeWould() {
    assertThatThrownBy(() -> busy.run(Map.of("rounds", "x", "colour", "red")))
        .isInstanceOf(InvalidInputsException.class)
        .hasMessageContaining("colour unknown field")
        .hasMessageContaining("topic is required")
        .hasMessageContaining("rounds must be a number");
    assertThatThrownBy(() -> busy.runAsync(Map.of())).isInstanceOf(InvalidInputsException.class);
  }

  @Test
  void refusesAClassANodeCouldNotLoad() {
    assertThatThrownBy(() -> FlowTester.of(NoConstructor.class))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("needs a public constructor without arguments");
  }

  @Test
  void exposesTheSpec() {
    assertThat(busy.spec().name()).isEqualTo("Busy");
    assertThat(busy.path()).isEqualTo(Busy.class.getName());
  }

  @Test
  void watchesAndKillsARunningFlow() {
    Waiting.release = new CountDownLatch(1);
    AsyncRun running = FlowTester.of(Waiting.class).runAsync();

    assertThat(running.awaitEvent(EventType.PROGRESS).dataNode().path("message").asString())
        .isEqualTo("waiting");
    assertThat(running.finished()).isFalse();
    assertThat(running.kill()).isTrue();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(run.types()).endsWith("progress", "kill");
    assertThat(run.events(EventType.FATAL)).isEmpty();
    assertThat(running.kill()).isFalse();
  }

  @Test
  void awaitsARunThatEndsOnItsOwn() {
    Waiting.release = new CountDownLatch(1);
    AsyncRun running = FlowTester.of(Waiting.class).runAsync();
    running.awaitEvent(EventType.PROGRESS);
    assertThat(running.events())
        .extracting(e -> e.type())
        .containsExactly("inputs", "version", "flow", "progress");
    Waiting.release.countDown();
    assertThat(running.await().markdown()).isEqualTo("released");
  }

  @Test
  void givesUpWaitingForAnEventThatNeverComes() {
    AsyncRun running = busy.runAsync(Map.of("topic", "tea"));
    assertThatThrownBy(() -> running.awaitEvent(EventType.LOCK))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("the run ended without a lock event")
        .hasMessageContaining("final");
  }

  @Test
  void givesUpWaitingForARunThatDoesNotEnd() {
    Waiting.release = new CountDownLatch(1);
    AsyncRun running = FlowTester.of(Waiting.class).runAsync();
    try {
      assertThatThrownBy(() -> running.await(Duration.ofMillis(50)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("did not end within PT0.05S")
          .hasMessageContaining("pending");
      assertThatThrownBy(
              () -> running.awaitEvent(e -> e.type().equals("final"), Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith(
              "gave up waiting for an event matching the condition after PT0.02S");
    } finally {
      running.kill();
    }
  }

  @Test
  void derivesStateFromTheLogAsANodeWould() {
    assertThat(state()).isEqualTo(RunState.PENDING);
    assertThat(state("lock:a")).isEqualTo(RunState.LOCKED);
    assertThat(state("lock:a", "unlock:b")).isEqualTo(RunState.LOCKED);
    assertThat(state("lock:a", "unlock:a")).isEqualTo(RunState.PENDING);
    assertThat(state("lock:a", "lock-timeout:a")).isEqualTo(RunState.PENDING);
    assertThat(state("lock:a", "final")).isEqualTo(RunState.DONE);
    assertThat(state("final", "kill")).isEqualTo(RunState.KILLED);
    assertThat(state("kill", "fatal")).isEqualTo(RunState.ERROR);
  }

  /** The state of a log made of {@code type} or {@code type:lid} entries. */
  private static RunState state(String... entries) {
    List<Event> events = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.split(":");
      String data = parts.length > 1 ? "{\"lid\":\"" + parts[1] + "\"}" : "{}";
      events.add(
          Event.of("f", events.size() + 1, Instant.EPOCH, EventType.require(parts[0]), data));
    }
    return new TestRun("f", "x", null, events).state();
  }
}
