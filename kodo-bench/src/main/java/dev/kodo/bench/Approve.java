package dev.kodo.bench;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.time.Duration;

/** A benchmark flow: locks once, asking for one boolean, and returns as soon as it is answered. */
public final class Approve implements Flow {
  private static final Demand DEMAND =
      Demand.builder("Approve?")
          .form(Form.builder().bool("ok", f -> f.label("OK").required()))
          .build();

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Approve")
        .description("Benchmark flow: waits in one lock, then returns.")
        .tags("bench")
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    return Result.json(ctx.lock(DEMAND, Duration.ofHours(1)).bool("ok"));
  }
}
