package dev.kodo.engine;

import dev.kodo.sdk.CancelledException;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Flows the engine's tests run; a few are registered in the test {@code META-INF/services}. */
public final class EngineTestFlows {
  private EngineTestFlows() {}

  private static FlowSpec named(String name) {
    return FlowSpec.builder(name).build();
  }

  /** Greets; registered as a service. */
  public static final class Hello implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Hello")
          .release("1.2.3")
          .author("Ada")
          .organization("Kodo")
          .tags("test", "greeting")
          .inputs(
              Form.builder()
                  .text("name", f -> f.required())
                  .number("times", f -> f.integer().min(1).defaultValue(1)))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      return Result.markdown(
          "Hello, " + ctx.inputs().text("name") + "!".repeat((int) ctx.inputs().integer("times")));
    }
  }

  /** Uses every context call once; registered as a service. */
  public static final class Chatty implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Chatty");
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.progress(0.5, "half way");
      ctx.progress(-1, "below");
      ctx.progress(7, "above");
      ctx.progress(Double.NaN, null);
      ctx.result(Result.markdown("# Interim"));
      ctx.result(Result.json(Map.of("found", 3)));
      ctx.action("fetch", Map.of("url", "https://example.org"));
      ctx.action("think", null);
      ctx.log("a \"quoted\" log line");
      return Result.json(List.of(1, 2, 3));
    }
  }

  public static final class Thrower implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Thrower");
    }

    @Override
    public Result run(FlowContext ctx) {
      throw new IllegalStateException(
          "database unreachable", new IOException("connection refused"));
    }
  }

  public static final class CheckedThrower implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Checked thrower");
    }

    @Override
    public Result run(FlowContext ctx) throws IOException {
      throw new IOException("disk full");
    }
  }

  public static final class AnonymousThrower implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Anonymous thrower");
    }

    @Override
    public Result run(FlowContext ctx) {
      throw new RuntimeException("odd") {};
    }
  }

  public static final class NullResult implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Null result");
    }

    @Override
    public Result run(FlowContext ctx) {
      return null;
    }
  }

  public static final class Recursive implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Recursive");
    }

    @Override
    @SuppressWarnings("InfiniteRecursion") // on purpose: the test needs a StackOverflowError
    public Result run(FlowContext ctx) {
      return run(ctx);
    }
  }

  /** Throws {@link CancelledException} although nobody killed the run. */
  /** Throws an {@link OutOfMemoryError}, as a flow that exhausts the heap does. */
  public static final class HeapExhausting implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Heap exhausting").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      throw new OutOfMemoryError("Java heap space (test)");
    }
  }

  public static final class SelfCancelling implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Self-cancelling");
    }

    @Override
    public Result run(FlowContext ctx) {
      throw new CancelledException(ctx.fid());
    }
  }

  /** Its constructor works for the spec and fails for every run after. */
  public static final class FragileConstructor implements Flow {
    static final AtomicInteger INSTANCES = new AtomicInteger();

    public FragileConstructor() {
      if (INSTANCES.incrementAndGet() > 1) {
        throw new IllegalStateException("missing configuration");
      }
    }

    @Override
    public FlowSpec spec() {
      return named("Fragile constructor");
    }

    @Override
    public Result run(FlowContext ctx) {
      return Result.markdown("never");
    }
  }

  /** Reports progress, then sleeps until killed; {@link #started} opens just before it sleeps. */
  public static final class Sleeper implements Flow {
    static volatile CountDownLatch started = new CountDownLatch(1);
    static volatile boolean ran;

    static void reset() {
      started = new CountDownLatch(1);
      ran = false;
    }

    @Override
    public FlowSpec spec() {
      return named("Sleeper");
    }

    @Override
    public Result run(FlowContext ctx) throws InterruptedException {
      ran = true;
      ctx.progress(0.1, "sleeping");
      started.countDown();
      Thread.sleep(600_000);
      return Result.markdown("woke up");
    }
  }

  /** Swallows the interrupt of a kill, tries to go on, and returns a result anyway. */
  public static final class Stubborn implements Flow {
    static volatile CountDownLatch started = new CountDownLatch(1);

    @Override
    public FlowSpec spec() {
      return named("Stubborn");
    }

    @Override
    public Result run(FlowContext ctx) {
      started.countDown();
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        System.out.print("cleaning up after the kill");
        ctx.progress(0.9, "still going");
      }
      return Result.markdown("finished anyway");
    }
  }

  /** Sleeps until killed, then fails in its clean-up. */
  public static final class FailsWhenKilled implements Flow {
    static volatile CountDownLatch started = new CountDownLatch(1);

    @Override
    public FlowSpec spec() {
      return named("Fails when killed");
    }

    @Override
    public Result run(FlowContext ctx) {
      started.countDown();
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException("clean-up failed", e);
      }
      return Result.markdown("never");
    }
  }

  /** Checks for cancellation before doing anything. */
  public static final class Checker implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Checker");
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.checkCancelled();
      return Result.markdown("not cancelled");
    }
  }

  // ---- flows a node cannot load

  public static final class NoDefaultConstructor implements Flow {
    public NoDefaultConstructor(String config) {}

    @Override
    public FlowSpec spec() {
      return named("No default constructor");
    }

    @Override
    public Result run(FlowContext ctx) {
      return null;
    }
  }

  public abstract static class Abstract implements Flow {}

  static final class NotPublic implements Flow {
    @Override
    public FlowSpec spec() {
      return named("Not public");
    }

    @Override
    public Result run(FlowContext ctx) {
      return null;
    }
  }

  public static final class BadSpec implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Bad spec").release("one").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      return null;
    }
  }

  public static final class NullSpec implements Flow {
    @Override
    public FlowSpec spec() {
      return null;
    }

    @Override
    public Result run(FlowContext ctx) {
      return null;
    }
  }
}
