package dev.kodo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.EventType;
import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;
import dev.kodo.sdk.internal.SdkBridge;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of locks: one at a time, stopped by kills on any thread, withdrawn answers not
 * accepted.
 */
class LockTest {
  static final Demand YES =
      Demand.builder("Say yes").form(Form.builder().bool("yes", f -> f.required())).build();

  /** Locks on a thread of its own pool and waits for it; the flow's own thread only joins. */
  public static final class LockOnAnotherThread implements Flow {
    static final AtomicReference<Thread> waiter = new AtomicReference<>();

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("lock elsewhere").build();
    }

    @Override
    public Result run(FlowContext ctx) throws Exception {
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var answer =
            pool.submit(
                () -> {
                  waiter.set(Thread.currentThread());
                  return ctx.lock(YES, Duration.ofHours(1));
                });
        return Result.json(answer.get().bool("yes"));
      }
    }
  }

  /** Opens a second lock while the first one is open, from another thread. */
  public static final class TwoLocks implements Flow {
    static final CompletableFuture<Throwable> second = new CompletableFuture<>();

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("two locks").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  Thread.sleep(100);
                  ctx.lock(YES, Duration.ofSeconds(5));
                  second.complete(null);
                } catch (Throwable t) {
                  second.complete(t);
                }
              });
      Inputs first = ctx.lock(YES, Duration.ofSeconds(30));
      return Result.json(first.bool("yes"));
    }
  }

  private static String awaitLock(Recorder r) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (r.data(EventType.LOCK).isEmpty()) {
      assertThat(System.nanoTime()).as("a lock opened in time").isLessThan(deadline);
      Thread.sleep(5);
    }
    return r.data(EventType.LOCK).getFirst().path("lid").asString();
  }

  @Test
  void aKillStopsALockWaitingOnAnotherThread() throws Exception {
    Recorder r = new Recorder();
    RunHandle handle = new RunHandle("fid-elsewhere");
    CompletableFuture<RunOutcome> outcome =
        CompletableFuture.supplyAsync(
            () ->
                FlowRunner.run(
                    LoadedFlow.of(LockOnAnotherThread.class),
                    SdkBridge.validate(Form.empty(), null),
                    handle,
                    r));
    awaitLock(r);
    handle.cancel();
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(RunOutcome.KILLED);
    Thread waiter = LockOnAnotherThread.waiter.get();
    waiter.join(5_000);
    assertThat(waiter.isAlive()).as("the thread that waited on the lock has ended").isFalse();
  }

  @Test
  void aRunHoldsOneLockAtATime() throws Exception {
    Recorder r = new Recorder();
    RunHandle handle = new RunHandle("fid-two");
    CompletableFuture<RunOutcome> outcome =
        CompletableFuture.supplyAsync(
            () ->
                FlowRunner.run(
                    LoadedFlow.of(TwoLocks.class),
                    SdkBridge.validate(Form.empty(), null),
                    handle,
                    r));
    String lid = awaitLock(r);
    Throwable second = TwoLocks.second.get(10, TimeUnit.SECONDS);
    assertThat(second)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one lock at a time");
    assertThat(r.data(EventType.LOCK)).hasSize(1);
    handle.offer(new RunHandle.Candidate(lid, "c1", "{\"yes\":true}"));
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(RunOutcome.DONE);
  }

  @Test
  void anAnswerTheNodeWithdrewIsNotAccepted() throws Exception {
    Recorder r = new Recorder();
    RunHandle handle = new RunHandle("fid-withdrawn");
    Demand slow =
        Demand.builder("Slow")
            .form(Form.builder().bool("yes", f -> f.required()))
            .check(
                a -> {
                  handle.withdraw("late");
                  return List.of();
                })
            .build();
    Flow flow =
        new Flow() {
          @Override
          public FlowSpec spec() {
            return FlowSpec.builder("withdrawn").build();
          }

          @Override
          public Result run(FlowContext ctx) {
            return Result.json(ctx.lock(slow, Duration.ofSeconds(30)).bool("yes"));
          }
        };
    RunContext ctx = new RunContext(handle, SdkBridge.validate(Form.empty(), null), r);
    CompletableFuture<Result> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return flow.run(ctx);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    String lid = awaitLock(r);
    handle.offer(new RunHandle.Candidate(lid, "late", "{\"yes\":false}"));
    handle.offer(new RunHandle.Candidate(lid, "next", "{\"yes\":true}"));
    assertThat(result.get(10, TimeUnit.SECONDS).body()).isEqualTo(true);
    assertThat(r.data(EventType.UNLOCK))
        .extracting(d -> d.path("cid").asString())
        .containsExactly("next");
  }
}
