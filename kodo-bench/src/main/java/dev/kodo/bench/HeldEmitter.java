package dev.kodo.bench;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A benchmark flow: waits at a gate in the bench's JVM, then emits as {@link Emitter} does. The
 * {@code concurrent} scenario ({@link ConcurrentScenario}) launches its runs, waits until all of
 * them are held here, and opens the gate once: what it then measures is the node persisting the
 * events of that many runs emitting at once, not the launches (measured by the {@code launch}
 * scenario). The gate is a static latch: the bench node's embedded worker runs its flows in this
 * JVM, so no HTTP request is needed to release them all.
 */
public final class HeldEmitter implements Flow {
  private static final AtomicInteger held = new AtomicInteger();
  private static volatile CountDownLatch gate = new CountDownLatch(1);

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("HeldEmitter")
        .description("Benchmark flow: waits at the bench's gate, then emits timestamped events.")
        .tags("bench")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(0).max(10_000_000).defaultValue(1000)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    CountDownLatch g = gate;
    held.incrementAndGet();
    try {
      if (!g.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the bench never opened the gate");
      }
    } finally {
      held.decrementAndGet();
    }
    return Emitter.emit(ctx, ctx.inputs().integer("count"), 0);
  }

  /** Closes the gate for the runs launched next. */
  static void close() {
    gate = new CountDownLatch(1);
  }

  /** Runs waiting at the gate. */
  static int held() {
    return held.get();
  }

  /** Lets every held run go. */
  static void open() {
    gate.countDown();
  }
}
