package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * Emits {@code count} small result events as fast as it can, then ends: a flow that outruns any
 * store.
 */
public final class Flood implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Flood")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(0).max(10_000_000).defaultValue(1000)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    long count = ctx.inputs().integer("count");
    for (long i = 0; i < count; i++) {
      ctx.result(Result.json(i));
    }
    return Result.json(count);
  }
}
