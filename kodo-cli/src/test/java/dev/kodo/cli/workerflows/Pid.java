package dev.kodo.cli.workerflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/** Works for {@code millis} and ends with the id of the process it ran in: which worker took it. */
public final class Pid implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Pid")
        .inputs(Form.builder().number("millis", f -> f.integer().min(0).defaultValue(20)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    Thread.sleep(ctx.inputs().integer("millis"));
    return Result.json(java.util.Map.of("pid", ProcessHandle.current().pid()));
  }
}
