package dev.kodo.bench;

import dev.kodo.agents.Models;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import dev.langchain4j.model.chat.ChatModel;

/**
 * A benchmark flow: makes {@code count} calls, one after the other, of the observed model {@code
 * bench} ({@code kodo.agents.models.bench.*}, docs/flows.md#langchain4j-in-a-java-flow) and returns
 * how long they took; each call is also an {@code action} event of the run.
 */
public final class ModelCaller implements Flow {
  /** The model this flow calls: the node must configure {@code kodo.agents.models.bench.*}. */
  static final String MODEL = "bench";

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Model caller")
        .description("Benchmark flow: calls the observed model 'bench' count times in a row.")
        .tags("bench")
        .inputs(
            Form.builder()
                .number("count", f -> f.integer().min(1).max(1_000_000).defaultValue(100)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    long count = ctx.inputs().integer("count");
    ChatModel model = Models.chat(ctx, MODEL);
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      String answer = model.chat("ping " + i);
      if (answer == null || answer.isEmpty()) {
        throw new IllegalStateException("call " + i + " of the model answered no text");
      }
    }
    return Result.json(new Timing(count, System.nanoTime() - start));
  }

  /** The flow's result: {@code calls} model calls made in {@code nanos} nanoseconds. */
  public record Timing(long calls, long nanos) {}
}
