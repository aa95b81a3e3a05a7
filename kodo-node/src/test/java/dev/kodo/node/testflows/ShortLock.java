package dev.kodo.node.testflows;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.time.Duration;

/** Locks for {@code millis} and does not handle the timeout. */
public final class ShortLock implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Short lock")
        .inputs(Form.builder().number("millis", f -> f.integer().min(1).defaultValue(300)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ctx.lock(
        Demand.builder("Answer quickly").form(Form.builder().bool("ok", f -> f.required())).build(),
        Duration.ofMillis(ctx.inputs().integer("millis")));
    return Result.json("answered");
  }
}
