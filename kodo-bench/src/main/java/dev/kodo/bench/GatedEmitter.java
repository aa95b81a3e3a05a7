package dev.kodo.bench;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.time.Duration;

/**
 * A benchmark flow: waits in one lock, then emits as {@link Emitter} does. The fan-out scenario
 * ({@link FanoutScenario}) opens every stream while its runs are locked and answers the locks once
 * all are open, so that no emission stamp measures a stream still connecting. Its first event
 * follows the answer by {@code offset} µs, so that the scenario's runs do not all emit at the same
 * instants; it ends {@code hold} ms after its last event (the final result is stamped then), so
 * that the runs' ends, and their streams' closing, come after every run's last stamped event rather
 * than among them.
 */
public final class GatedEmitter implements Flow {
  private static final Demand GO =
      Demand.builder("Start emitting?")
          .form(Form.builder().bool("go", f -> f.label("Go").required()))
          .build();

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("GatedEmitter")
        .description("Benchmark flow: waits in one lock, then emits timestamped events.")
        .tags("bench")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(0).max(10_000_000).defaultValue(1000))
                .number("rate", f -> f.integer().min(0).max(1_000_000).defaultValue(0))
                .number("offset", f -> f.integer().min(0).max(60_000_000).defaultValue(0))
                .number("hold", f -> f.integer().min(0).max(60_000).defaultValue(0)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ctx.lock(GO, Duration.ofHours(1));
    Pacing.parkUntil(System.nanoTime() + ctx.inputs().integer("offset") * 1_000L);
    long count = ctx.inputs().integer("count");
    Emitter.emit(ctx, count, ctx.inputs().integer("rate"));
    Pacing.parkUntil(System.nanoTime() + ctx.inputs().integer("hold") * 1_000_000L);
    return Result.json(new Emitter.Stamp(count, System.nanoTime()));
  }
}
