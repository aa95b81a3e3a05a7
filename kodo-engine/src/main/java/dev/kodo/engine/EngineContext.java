package dev.kodo.engine;

import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.sdk.FlowContext;

/**
 * A run's context as an engine adapter sees it (kodo-agents): besides what a flow sees, the raw
 * event sink, for the {@code agent}, {@code task} and {@code tool} events of docs/events.md, and
 * the run's environment. Not for flow authors.
 */
public interface EngineContext extends FlowContext {

  /** Emits one event of any type; {@code data} is a JSON object text. Keeps call order. */
  void emit(EventType type, String data);

  /** The secrets and engine settings of this run. */
  RunEnvironment environment();

  /** The engine view of a context Kodo made; fails clearly for any other context. */
  static EngineContext of(FlowContext ctx) {
    if (ctx instanceof EngineContext e) {
      return e;
    }
    throw new KodoException(
        "this FlowContext was not made by Kodo's engine ("
            + (ctx == null ? "null" : ctx.getClass().getName())
            + "); run the flow through a node, koco run or kodo-testing's FlowTester");
  }
}
