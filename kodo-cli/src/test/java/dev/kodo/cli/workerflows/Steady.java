package dev.kodo.cli.workerflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * Reports {@code steps} progress steps, one every {@code millis} ms, then ends with their count.
 */
public final class Steady implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Steady")
        .inputs(
            Form.builder()
                .number("steps", f -> f.integer().min(1).max(10_000).defaultValue(10))
                .number("millis", f -> f.integer().min(0).max(10_000).defaultValue(100))
                .build())
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    long steps = ctx.inputs().integer("steps");
    long millis = ctx.inputs().integer("millis");
    for (int i = 1; i <= steps; i++) {
      ctx.progress((double) i / steps, "step " + i);
      Thread.sleep(millis);
    }
    return Result.json(String.valueOf(steps));
  }
}
