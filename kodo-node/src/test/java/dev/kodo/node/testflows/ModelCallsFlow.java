package dev.kodo.node.testflows;

import dev.kodo.client.EventType;
import dev.kodo.engine.EngineContext;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.util.Map;

/**
 * Records {@code calls} model calls the way the agentic engine does ({@code action} events named
 * {@code llm}, docs/events.md), call {@code i} (from 1) with {@code 10·i} input and {@code i}
 * output tokens and a cost of 0.5, between a tool-like action and a malformed {@code llm} action
 * that must not count; then ends.
 */
public final class ModelCallsFlow implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Model calls")
        .inputs(Form.builder().number("calls", f -> f.integer().min(0).max(1_000).defaultValue(3)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    EngineContext engine = EngineContext.of(ctx);
    long calls = ctx.inputs().integer("calls");
    ctx.action("search", Map.of("query", "tides"));
    engine.emit(EventType.ACTION, "{\"name\":\"llm\",\"input_tokens\":\"many\"}");
    for (long i = 1; i <= calls; i++) {
      engine.emit(
          EventType.ACTION,
          "{\"name\":\"llm\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"input_tokens\":"
              + (10 * i)
              + ",\"output_tokens\":"
              + i
              + ",\"latency_ms\":3,\"finish_reason\":\"stop\",\"cost\":0.5}");
    }
    return Result.json(Map.of("calls", calls));
  }
}
