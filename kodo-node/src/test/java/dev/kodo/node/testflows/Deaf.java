package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deaf to kills: reports progress, then spins until {@link #release} is called, never calling its
 * context and never blocking, so an interrupt does not reach it; then it emits more and returns.
 * For tests that run the node in their own JVM.
 */
public final class Deaf implements Flow {
  private static final AtomicInteger SPINNING = new AtomicInteger();
  private static volatile boolean released;

  /** Lets every spinning run go on. */
  public static void release() {
    released = true;
  }

  /** How many runs spin right now. */
  public static int spinning() {
    return SPINNING.get();
  }

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Deaf").description("ignores kills until released").build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ctx.progress(0.1, "spinning");
    SPINNING.incrementAndGet();
    try {
      while (!released) {
        // Yields its carrier (it runs on a virtual thread), but never checks for an interrupt.
        Thread.yield();
      }
    } finally {
      SPINNING.decrementAndGet();
    }
    ctx.progress(1, "after the release");
    return Result.markdown("deaf and done");
  }
}
