package dev.kodo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.LockTimeoutException;
import dev.kodo.sdk.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Testing flows that lock: {@link AsyncRun#awaitLock()}, {@link AsyncRun#answer}, and what {@link
 * TestRun} shows of locks.
 */
class FlowTesterLocksTest {

  /** Asks for approval; a rejection needs a comment. */
  public static final class Approval implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Approval")
          .inputs(Form.builder().text("what", f -> f.required()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      Inputs answer =
          ctx.lock(
              Demand.builder("Approve " + ctx.inputs().text("what"))
                  .markdown("Please *decide*.")
                  .form(
                      Form.builder()
                          .bool("approve", f -> f.label("Approve").required())
                          .longText("comment", f -> f.label("Comment").maxLength(100)))
                  .check(
                      a ->
                          !a.bool("approve") && !a.has("comment")
                              ? List.of(new InputError("comment", "say why you reject it"))
                              : List.of())
                  .build(),
              Duration.ofHours(1));
      return Result.markdown(
          answer.bool("approve") ? "approved" : "rejected: " + answer.text("comment"));
    }
  }

  /** Locks twice, one question after the other. */
  public static final class TwoQuestions implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Two questions").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      String name =
          ctx.lock(
                  Demand.builder("Your name")
                      .form(Form.builder().text("name", f -> f.required()))
                      .build())
              .text("name");
      ctx.progress(0.5, "got the name");
      long age =
          ctx.lock(
                  Demand.builder("Your age")
                      .form(Form.builder().number("age", f -> f.integer().min(0).required()))
                      .build())
              .integer("age");
      return Result.markdown(name + " is " + age);
    }
  }

  /** Waits briefly for an answer and goes on with a default when none comes. */
  public static final class Patient implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Patient").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      try {
        return Result.markdown(
            ctx.lock(
                    Demand.builder("Colour?")
                        .form(Form.builder().text("colour", f -> f.required()))
                        .build(),
                    Duration.ofMillis(20))
                .text("colour"));
      } catch (LockTimeoutException e) {
        return Result.markdown("grey, by default (" + e.lid() + ")");
      }
    }
  }

  /** Waits briefly for an answer and does not handle the timeout. */
  public static final class Impatient implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Impatient").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.lock(Demand.builder("Now!").build(), Duration.ofMillis(10));
      return Result.markdown("unreachable");
    }
  }

  /** A flow whose own check of an answer blows up. */
  public static final class BrokenCheck implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Broken check").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.lock(
          Demand.builder("Anything")
              .form(Form.builder().text("x", f -> f.required()))
              .check(
                  a -> {
                    throw new IllegalStateException("the check is broken");
                  })
              .build());
      return Result.markdown("unreachable");
    }
  }

  /** Does not lock: progresses and waits to be released. */
  public static final class NoLock implements Flow {
    static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("No lock").build();
    }

    @Override
    public Result run(FlowContext ctx) throws InterruptedException {
      ctx.progress(0.5, "busy");
      release.await();
      return Result.markdown("done");
    }
  }

  private final FlowTester approval = FlowTester.of(Approval.class);

  @Test
  void awaitLockShowsTheDemand() {
    AsyncRun running = approval.runAsync(Map.of("what", "the budget"));
    try {
      TestRun.Lock lock = running.awaitLock();

      assertThat(lock.lid()).isNotBlank();
      assertThat(lock.title()).isEqualTo("Approve the budget");
      assertThat(lock.markdown()).isEqualTo("Please *decide*.");
      assertThat(lock.fields()).containsExactly("approve", "comment");
      assertThat(lock.required()).containsExactly("approve");
      assertThat(lock.schema().path("properties").path("approve").path("type").asString())
          .isEqualTo("boolean");
      assertThat(lock.demand().path("form").isArray()).isTrue();
      Instant locked = running.awaitEvent(EventType.LOCK).ts();
      assertThat(Duration.between(locked, lock.expires()))
          .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
      assertThat(running.finished()).isFalse();
      TestRun now = new TestRun(running.fid(), approval.path(), null, running.events());
      assertThat(now.state()).isEqualTo(RunState.LOCKED);
      assertThat(now.openLock()).contains(lock);
      assertThat(now.locks()).containsExactly(lock);
    } finally {
      running.kill();
    }
  }

  @Test
  void aDeniedAnswerLeavesTheLockOpenAndAnAcceptedOneLetsTheFlowGoOn() {
    AsyncRun running = approval.runAsync(Map.of("what", "the budget"));
    TestRun.Lock lock = running.awaitLock();

    TestRun.Verdict denied = running.answer(Map.of("approve", false));
    assertThat(denied.accepted()).isFalse();
    assertThat(denied.lid()).isEqualTo(lock.lid());
    assertThat(denied.errors()).containsExactly(new InputError("comment", "say why you reject it"));
    assertThat(denied.reasons("comment")).containsExactly("say why you reject it");
    assertThat(denied.reasons("approve")).isEmpty();
    assertThat(running.awaitLock()).isEqualTo(lock);

    TestRun.Verdict accepted = running.answer(Map.of("approve", false, "comment", "too dear"));
    assertThat(accepted.accepted()).isTrue();
    assertThat(accepted.errors()).isEmpty();
    assertThat(accepted.cid()).isNotEqualTo(denied.cid());

    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("rejected: too dear");
    assertThat(run.types())
        .containsSubsequence("lock", "candidate", "unlock-deny", "candidate", "unlock", "final");
    assertThat(run.locks()).containsExactly(lock);
    assertThat(run.openLock()).isEmpty();
    assertThat(run.verdicts()).containsExactly(denied, accepted);
    Event candidate = run.events(EventType.CANDIDATE).get(1);
    assertThat(candidate.dataNode().path("data").path("comment").asString()).isEqualTo("too dear");
    assertThat(candidate.dataNode().path("cid").asString()).isEqualTo(accepted.cid());
  }

  @Test
  void anAnswerThatDoesNotFitTheFormIsDeniedWithEveryReason() {
    AsyncRun running = approval.runAsync(Map.of("what", "x"));
    try {
      running.awaitLock();

      TestRun.Verdict verdict = running.answer(Map.of("approve", "perhaps", "colour", "red"));

      assertThat(verdict.accepted()).isFalse();
      assertThat(verdict.errors())
          .extracting(InputError::field)
          .containsExactlyInAnyOrder("approve", "colour");
      assertThat(verdict.reasons("colour")).singleElement().asString().contains("unknown field");
    } finally {
      running.kill();
    }
  }

  @Test
  void anAnswerToALockThatIsNotOpenIsDenied() {
    AsyncRun running = approval.runAsync(Map.of("what", "x"));
    TestRun.Lock lock = running.awaitLock();

    TestRun.Verdict verdict = running.answer("0000deadbeef", Map.of("approve", true));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.lid()).isEqualTo("0000deadbeef");
    assertThat(verdict.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("not open", lock.lid()));
    assertThat(running.answer(Map.of("approve", true)).accepted()).isTrue();
    assertThat(running.await().markdown()).isEqualTo("approved");
  }

  @Test
  void awaitLockWaitsForTheNextLockOnceOneIsAnswered() {
    AsyncRun running = FlowTester.of(TwoQuestions.class).runAsync();
    TestRun.Lock first = running.awaitLock();
    assertThat(first.title()).isEqualTo("Your name");
    assertThat(running.answer(Map.of("name", "Ada")).accepted()).isTrue();

    TestRun.Lock second = running.awaitLock();
    assertThat(second.title()).isEqualTo("Your age");
    assertThat(second.lid()).isNotEqualTo(first.lid());
    assertThat(running.answer(Map.of("age", -1)).reasons("age")).isNotEmpty();
    assertThat(running.answer(Map.of("age", 36)).accepted()).isTrue();

    TestRun run = running.await();
    assertThat(run.markdown()).isEqualTo("Ada is 36");
    assertThat(run.locks()).containsExactly(first, second);
    assertThat(run.verdicts())
        .extracting(TestRun.Verdict::accepted)
        .containsExactly(true, false, true);
    assertThat(run.verdicts())
        .extracting(TestRun.Verdict::lid)
        .containsExactly(first.lid(), second.lid(), second.lid());
  }

  @Test
  void aRunKilledWhileLockedEndsKilledWithoutFatal() {
    AsyncRun running = approval.runAsync(Map.of("what", "x"));
    running.awaitLock();

    assertThat(running.kill()).isTrue();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(run.types()).endsWith("lock", "kill");
    assertThat(run.events(EventType.FATAL)).isEmpty();
    assertThat(run.openLock()).isEmpty();
    assertThat(run.locks()).hasSize(1);
  }

  @Test
  void aLockThatTimesOutCanBeHandledByTheFlow() {
    TestRun run = FlowTester.of(Patient.class).run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    String lid = run.locks().getFirst().lid();
    assertThat(run.markdown()).isEqualTo("grey, by default (" + lid + ")");
    assertThat(run.types()).containsSubsequence("lock", "lock-timeout", "final");
    assertThat(run.events(EventType.LOCK_TIMEOUT).getFirst().dataNode().path("lid").asString())
        .isEqualTo(lid);
    assertThat(run.verdicts()).isEmpty();
  }

  @Test
  void aLockTimeoutTheFlowDoesNotHandleEndsTheRunWithFatal() {
    TestRun run = FlowTester.of(Impatient.class).run();

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().reason()).isEqualTo("lock-timeout");
    assertThat(run.fatal().message())
        .startsWith("LockTimeoutException: lock " + run.locks().getFirst().lid());
    assertThat(run.types()).endsWith("lock", "lock-timeout", "fatal");
  }

  @Test
  void runOnTheCallingThreadRefusesToHangOnALongLock() {
    assertThatThrownBy(() -> approval.run(Map.of("what", "x")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("locked (lock ")
        .hasMessageContaining("\"Approve x\"")
        .hasMessageContaining("runAsync")
        .hasMessageContaining(" kill {");
  }

  @Test
  void answeringWithoutAnOpenLockFailsAtOnce() {
    NoLock.release = new CountDownLatch(1);
    AsyncRun running = FlowTester.of(NoLock.class).runAsync();
    try {
      running.awaitEvent(EventType.PROGRESS);
      assertThatThrownBy(() -> running.answer(Map.of("x", 1)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("has no open lock to answer (it is pending)");
      assertThatThrownBy(() -> running.answer("abc", Map.of()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("has no open lock");
    } finally {
      NoLock.release.countDown();
    }
    assertThat(running.await().events(EventType.CANDIDATE)).isEmpty();
  }

  @Test
  void awaitLockFailsWhenTheRunEndsWithoutOne() {
    NoLock.release = new CountDownLatch(0);
    AsyncRun running = FlowTester.of(NoLock.class).runAsync();
    assertThatThrownBy(running::awaitLock)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("the run ended without an open lock")
        .hasMessageContaining("final");
  }

  @Test
  void awaitLockGivesUpAfterItsTimeout() {
    NoLock.release = new CountDownLatch(1);
    AsyncRun running = FlowTester.of(NoLock.class).runAsync();
    try {
      assertThatThrownBy(() -> running.awaitLock(Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("gave up waiting for a lock after PT0.02S");
    } finally {
      NoLock.release.countDown();
    }
  }

  @Test
  void answerFailsReadablyWhenTheRunEndsBeforeItsVerdict() {
    AsyncRun running = FlowTester.of(BrokenCheck.class).runAsync();
    running.awaitLock();

    assertThatThrownBy(() -> running.answer(Map.of("x", "y")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the run ended (fatal) before the flow gave its verdict on answer");
    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message()).isEqualTo("IllegalStateException: the check is broken");
  }

  @Test
  void derivesTheOpenLockFromTheLog() {
    assertThat(open()).isEmpty();
    assertThat(open("lock:a")).contains("a");
    assertThat(open("lock:a", "candidate:a", "unlock-deny:a")).contains("a");
    assertThat(open("lock:a", "unlock:b")).contains("a");
    assertThat(open("lock:a", "unlock:a")).isEmpty();
    assertThat(open("lock:a", "lock-timeout:a")).isEmpty();
    assertThat(open("lock:a", "unlock:a", "lock:b")).contains("b");
    assertThat(open("lock:a", "kill")).isEmpty();
    assertThat(log("lock:a", "candidate:a", "unlock-deny:a").state()).isEqualTo(RunState.LOCKED);
  }

  private static Optional<String> open(String... entries) {
    return log(entries).openLock().map(TestRun.Lock::lid);
  }

  /** A log made of {@code type} or {@code type:lid} entries. */
  private static TestRun log(String... entries) {
    List<Event> events = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.split(":");
      String data = parts.length > 1 ? "{\"lid\":\"" + parts[1] + "\",\"cid\":\"c\"}" : "{}";
      events.add(
          Event.of("f", events.size() + 1, Instant.EPOCH, EventType.require(parts[0]), data));
    }
    return new TestRun("f", "x", null, events);
  }
}
