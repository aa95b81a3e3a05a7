package dev.kodo.agents.internal;

import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.client.Shorten;
import dev.kodo.engine.EngineContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the agentic engine's events (docs/events.md#catalogue): {@code agent}, {@code task},
 * {@code tool}, and one {@code action} (or {@code action-error}) per model call. The one place that
 * knows their shapes; crews and observed Java flows both write through it. Long texts are shortened
 * to {@link #MAX_TEXT} characters: the full output of a task is in the run's result. Thread-safe.
 */
public final class AgentEvents {
  /** Longest text (an output, a tool result) an event carries. */
  public static final int MAX_TEXT = 4_000;

  private final EngineContext ctx;

  public AgentEvents(EngineContext ctx) {
    this.ctx = ctx;
  }

  public EngineContext context() {
    return ctx;
  }

  public void agentStarted(String agent, String role, String task) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("agent", agent);
    putIf(d, "role", role);
    d.put("phase", "start");
    putIf(d, "task", task);
    ctx.emit(EventType.AGENT, Json.write(d));
  }

  public void agentFinished(String agent, String task, String output) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("agent", agent);
    d.put("phase", "finish");
    putIf(d, "task", task);
    putIf(d, "output", shorten(output));
    ctx.emit(EventType.AGENT, Json.write(d));
  }

  public void taskStarted(String task, String agent, String description) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("task", task);
    putIf(d, "agent", agent);
    d.put("phase", "start");
    putIf(d, "description", shorten(description));
    ctx.emit(EventType.TASK, Json.write(d));
  }

  public void taskFinished(String task, String agent, String output) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("task", task);
    putIf(d, "agent", agent);
    d.put("phase", "finish");
    putIf(d, "output", shorten(output));
    ctx.emit(EventType.TASK, Json.write(d));
  }

  /**
   * One tool call.
   *
   * @param arguments the arguments as the model gave them (JSON text or a value)
   * @param extra more fields, e.g. {@code node} and {@code fid} of a {@code kodo_flow} sub-run; may
   *     be empty
   */
  public void tool(
      String tool,
      String agent,
      Object arguments,
      String result,
      String error,
      long durationMillis,
      Map<String, Object> extra) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tool", tool);
    putIf(d, "agent", agent);
    d.put("arguments", arguments instanceof String s ? parsedOrText(s) : arguments);
    putIf(d, "result", shorten(result));
    putIf(d, "error", shorten(error));
    d.put("duration_ms", durationMillis);
    d.putAll(extra);
    ctx.emit(EventType.TOOL, Json.write(d));
  }

  /** One model call that answered; {@code cost} may be null when no price is configured. */
  public void modelCall(ModelCall call) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", "llm");
    d.put("provider", call.provider());
    d.put("model", call.model());
    putIf(d, "agent", call.agent());
    d.put("input_tokens", call.inputTokens());
    d.put("output_tokens", call.outputTokens());
    d.put("latency_ms", call.latencyMillis());
    putIf(d, "finish_reason", call.finishReason());
    putIf(d, "cost", call.cost());
    ctx.emit(EventType.ACTION, Json.write(d));
  }

  /**
   * One model call that failed.
   *
   * @param retryInMillis when it is tried again, or null if it is not
   */
  public void modelCallFailed(
      String provider,
      String model,
      String agent,
      String message,
      int attempt,
      Long retryInMillis) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", "llm");
    d.put("provider", provider);
    d.put("model", model);
    putIf(d, "agent", agent);
    d.put("message", shorten(message));
    d.put("attempt", attempt);
    putIf(d, "retry_in_ms", retryInMillis);
    ctx.emit(EventType.ACTION_ERROR, Json.write(d));
  }

  /**
   * What one model call cost and took.
   *
   * @param cost estimated cost in the price table's currency, or null
   */
  public record ModelCall(
      String provider,
      String model,
      String agent,
      long inputTokens,
      long outputTokens,
      long latencyMillis,
      String finishReason,
      Double cost) {}

  private static Object parsedOrText(String s) {
    try {
      return Json.mapper().readTree(s);
    } catch (RuntimeException e) {
      return s;
    }
  }

  private static String shorten(String s) {
    return s == null ? null : Shorten.to(s, MAX_TEXT);
  }

  private static void putIf(Map<String, Object> d, String key, Object value) {
    if (value != null) {
      d.put(key, value);
    }
  }
}
