package dev.kodo.worker;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Flows the worker's tests dispatch, and the gates tests use to hold and release them. */
public final class WorkerTestFlows {
  private WorkerTestFlows() {}

  /** Progress, a log line, an intermediate result, more progress, then a Markdown final. */
  public static final class Steps implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Steps").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.progress(0.25, "one");
      ctx.log("a line");
      ctx.result(Result.json(Map.of("found", 3)));
      ctx.progress(1.0, "two");
      return Result.markdown("# done");
    }
  }

  /** Records that it started, before anything a kill could interrupt, and ends at once. */
  public static final class Quick implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Quick").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      Gates.started(ctx.fid());
      return Result.markdown("quick");
    }
  }

  public static final class Thrower implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Thrower").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.progress(0.1, "about to fail");
      throw new IllegalStateException("database unreachable");
    }
  }

  /** Takes a required name and a small integer. */
  public static final class Greeter implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Greeter")
          .inputs(
              Form.builder()
                  .text("name", f -> f.required())
                  .number("times", f -> f.integer().min(1).max(3).defaultValue(1)))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      return Result.markdown(
          "Hello, " + ctx.inputs().text("name") + "!".repeat((int) ctx.inputs().integer("times")));
    }
  }

  /** Emits {@code count} progress events numbered in their message, then ends. */
  public static final class Counter implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Counter")
          .inputs(Form.builder().number("count", f -> f.integer().min(0).required()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      long n = ctx.inputs().integer("count");
      for (int i = 0; i < n; i++) {
        ctx.progress((double) i / n, "#" + i);
      }
      return Result.json(Map.of("count", n));
    }
  }

  /**
   * Restores an interrupt it did not cause, as well-behaved library code does after catching
   * InterruptedException, and then ends normally: the run must still end with final.
   */
  public static final class SelfInterrupting implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Self-interrupting").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.progress(0.5, "before");
      Thread.currentThread().interrupt();
      ctx.progress(0.9, "after");
      return Result.markdown("finished anyway");
    }
  }

  /**
   * Reports progress, prints half a line, then sleeps until it is interrupted. Records that it
   * started and that the interrupt reached it.
   */
  public static final class Sleeper implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Sleeper").build();
    }

    @Override
    public Result run(FlowContext ctx) throws InterruptedException {
      ctx.progress(0, "sleeping");
      System.out.print("a partial line");
      Gates.started(ctx.fid());
      try {
        Thread.sleep(Duration.ofDays(1));
      } catch (InterruptedException e) {
        Gates.INTERRUPTED.add(ctx.fid());
        throw e;
      }
      return Result.markdown("woke up");
    }
  }

  /** Waits at the gate named by its {@code gate} input until the test opens it. */
  public static final class Gated implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Gated")
          .inputs(Form.builder().text("gate", f -> f.required()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) throws InterruptedException {
      Gate gate = Gates.get(ctx.inputs().text("gate"));
      gate.enter();
      try {
        gate.await();
      } finally {
        gate.leave();
      }
      return Result.markdown("passed " + ctx.inputs().text("gate"));
    }
  }

  /**
   * Throws the {@link Error} its {@code kind} input names: {@code oom}, {@code internal}, {@code
   * stack} (a real stack overflow), {@code init} (a class whose static initialiser fails) or {@code
   * linkage} (a class that failed to initialise, used again: {@link NoClassDefFoundError}).
   */
  public static final class Erring implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Erring")
          .inputs(Form.builder().text("kind", f -> f.required()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.progress(0.1, "about to break");
      switch (ctx.inputs().text("kind")) {
        case "oom" -> throw new OutOfMemoryError("Java heap space (test)");
        case "internal" -> throw new InternalError("the JVM is confused (test)");
        case "stack" -> recurse(0);
        case "init" -> BrokenOnce.touch();
        case "linkage" -> {
          try {
            BrokenTwice.touch();
          } catch (ExceptionInInitializerError first) {
            // the second use below fails to link
          }
          BrokenTwice.touch();
        }
        default -> throw new IllegalArgumentException("unknown kind");
      }
      return Result.markdown("unreachable");
    }

    @SuppressWarnings("InfiniteRecursion") // on purpose: the test needs a StackOverflowError
    private static int recurse(int depth) {
      return recurse(depth + 1) + 1;
    }
  }

  static final class BrokenOnce {
    static final int VALUE = Integer.parseInt("not a number (init)");

    static int touch() {
      return VALUE;
    }
  }

  static final class BrokenTwice {
    static final int VALUE = Integer.parseInt("not a number (linkage)");

    static int touch() {
      return VALUE;
    }
  }

  /**
   * Deaf to kills: reports progress, then spins until the gate named by its {@code gate} input
   * opens, never calling its context and never blocking, so an interrupt does not reach it.
   */
  public static final class Deaf implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Deaf")
          .inputs(Form.builder().text("gate", f -> f.required()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.progress(0.1, "spinning");
      Gate gate = Gates.get(ctx.inputs().text("gate"));
      gate.enter();
      try {
        while (!gate.isOpen()) {
          // Yields its carrier (it runs on a virtual thread), but never checks for an interrupt.
          Thread.yield();
        }
      } finally {
        gate.leave();
      }
      ctx.progress(1, "after the gate");
      return Result.markdown("deaf and done");
    }
  }

  /**
   * Waits (uninterruptibly) at the gate named by its {@code gate} input, then ends with a final.
   */
  public static final class Finishing implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Finishing")
          .inputs(Form.builder().text("gate", f -> f.required()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      Gate gate = Gates.get(ctx.inputs().text("gate"));
      gate.enter();
      try {
        while (!gate.isOpen()) {
          LockSupport.parkNanos(1_000_000);
        }
      } finally {
        gate.leave();
      }
      return Result.markdown("finished in time");
    }
  }

  /** A gate gated runs wait at: counts how many are inside at once. */
  public static final class Gate {
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();

    void enter() {
      mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      entered.incrementAndGet();
    }

    void leave() {
      inside.decrementAndGet();
    }

    void await() throws InterruptedException {
      open.await();
    }

    public void open() {
      open.countDown();
    }

    public boolean isOpen() {
      return open.getCount() == 0;
    }

    public int inside() {
      return inside.get();
    }

    public int entered() {
      return entered.get();
    }

    public int mostInside() {
      return mostInside.get();
    }
  }

  /** Test-wide registry of gates and of what sleeping runs went through. */
  public static final class Gates {
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> STARTED = new ConcurrentHashMap<>();
    static final Set<String> INTERRUPTED = ConcurrentHashMap.newKeySet();

    private Gates() {}

    public static Gate get(String name) {
      return GATES.computeIfAbsent(name, n -> new Gate());
    }

    static void started(String fid) {
      latch(fid).countDown();
    }

    public static boolean awaitStarted(String fid, Duration timeout) throws InterruptedException {
      return latch(fid).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CountDownLatch latch(String fid) {
      return STARTED.computeIfAbsent(fid, f -> new CountDownLatch(1));
    }
  }
}
