package dev.kodo.cli.workerflows;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.time.Duration;

/** Says which process it runs in, then asks a human for {@code ok} (waits up to an hour). */
public final class Asking implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Asking").build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ctx.progress(0.1, "pid " + ProcessHandle.current().pid());
    ctx.lock(
        Demand.builder("Go on?").form(Form.builder().bool("ok", f -> f.required())).build(),
        Duration.ofHours(1));
    return Result.json("answered");
  }
}
