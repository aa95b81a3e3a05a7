package dev.kodo.cli.workerflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * Says which process it runs in, then works for {@code millis}: its runs end worker-lost when that
 * process dies (not retry-safe).
 */
public final class Fragile implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Fragile")
        .inputs(Form.builder().number("millis", f -> f.integer().min(0).defaultValue(600_000)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    ctx.progress(0.1, "pid " + ProcessHandle.current().pid());
    Thread.sleep(ctx.inputs().integer("millis"));
    return Result.json(java.util.Map.of("pid", ProcessHandle.current().pid()));
  }
}
