package dev.kodo.bench;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * A benchmark flow: emits {@code count} result events, each stamped with {@code System.nanoTime()}
 * at emission, at {@code rate} events per second (0 for as fast as possible).
 */
public final class Emitter implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Emitter")
        .description("Benchmark flow: emits timestamped events at a given rate.")
        .tags("bench")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(0).max(10_000_000).defaultValue(1000))
                .number("rate", f -> f.integer().min(0).max(1_000_000).defaultValue(0)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    return emit(ctx, ctx.inputs().integer("count"), ctx.inputs().integer("rate"));
  }

  /**
   * Emits {@code count} stamped result events at {@code rate} a second (0: without pause) and
   * returns the final result (also used by {@link GatedEmitter}).
   */
  static Result emit(FlowContext ctx, long count, long rate) {
    long start = System.nanoTime();
    long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
    for (long i = 0; i < count; i++) {
      if (interval > 0) {
        Pacing.parkUntil(start + i * interval);
      }
      ctx.result(Result.json(new Stamp(i, System.nanoTime())));
    }
    return Result.json(new Stamp(count, System.nanoTime()));
  }

  /** The payload of each emitted event. */
  public record Stamp(long i, long t) {}
}
