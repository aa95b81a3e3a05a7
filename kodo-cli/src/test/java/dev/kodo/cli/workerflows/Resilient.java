package dev.kodo.cli.workerflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import dev.kodo.sdk.RetrySafe;

/**
 * As {@link Fragile}, but {@link RetrySafe}: when its worker dies the run starts again elsewhere.
 * The first attempt works for {@code millis}, later ones (the progress of a re-queue is in the log)
 * finish at once.
 */
@RetrySafe
public final class Resilient implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Resilient")
        .inputs(Form.builder().number("millis", f -> f.integer().min(0).defaultValue(600_000)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    ctx.progress(0.1, "pid " + ProcessHandle.current().pid());
    Thread.sleep(Math.max(ctx.inputs().integer("millis"), Long.getLong("resilient.millis", 0)));
    return Result.json(java.util.Map.of("pid", ProcessHandle.current().pid()));
  }
}
