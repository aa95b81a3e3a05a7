package dev.kodo.node.testflows;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.util.List;

/** Locks once; its check of an answer takes 3 s, longer than the test node's release timeout. */
public final class SlowCheck implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Slow check").build();
  }

  @Override
  public Result run(FlowContext ctx) {
    var answer =
        ctx.lock(
            Demand.builder("Slowly checked")
                .form(Form.builder().bool("ok", f -> f.required()))
                .check(
                    a -> {
                      try {
                        Thread.sleep(3_000);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return List.of();
                    })
                .build());
    return Result.json(answer.bool("ok"));
  }
}
