package dev.kodo.bench;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;

/** A benchmark flow that does nothing and returns at once. */
public final class Noop implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Noop")
        .description("Benchmark flow: returns at once.")
        .tags("bench")
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    return Result.json(true);
  }
}
