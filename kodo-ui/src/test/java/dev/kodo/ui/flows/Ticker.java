package dev.kodo.ui.flows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * Emits {@code count} {@code progress} events, {@code pause} milliseconds apart, then ends: at a
 * steady pace, a run whose live stream can be dropped while it is still emitting; without a pause,
 * a run of 10,000 events for the run page to render (docs/ui.md#tests).
 */
public final class Ticker implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Ticker")
        .description("Emits progress events at a steady pace (a browser test's flow).")
        .tags("test")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(0).max(20_000).defaultValue(10))
                .number("pause", f -> f.integer().min(0).max(1_000).defaultValue(0)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    long count = ctx.inputs().integer("count");
    long pause = ctx.inputs().integer("pause");
    for (long i = 1; i <= count; i++) {
      ctx.checkCancelled();
      ctx.progress((double) i / count, "tick " + i);
      if (pause > 0) Thread.sleep(pause);
    }
    return Result.markdown("Ticked " + count + " times.");
  }
}
