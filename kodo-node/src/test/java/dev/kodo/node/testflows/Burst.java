package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.util.Map;

/**
 * Emits {@code count} result events as fast as it can, then ends: many events on their way to the
 * store at once.
 */
public final class Burst implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Burst")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(0).max(100_000).defaultValue(1_000)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    long count = ctx.inputs().integer("count");
    for (long i = 0; i < count; i++) {
      ctx.checkCancelled();
      ctx.result(Result.json(Map.of("i", i)));
    }
    return Result.json(Map.of("count", count));
  }
}
