package dev.kodo.client;

import tools.jackson.databind.JsonNode;

/**
 * The model calls of one run, summed from its {@code action} events named {@code llm}
 * (docs/events.md#derived-state): the {@code usage} of the run document. Immutable.
 *
 * @param calls answered model calls
 * @param inputTokens input (prompt) tokens of those calls
 * @param outputTokens output (completion) tokens of those calls
 * @param cost the summed cost estimate of the calls that carried one, in the price table's
 *     currency; null when none did
 */
public record RunUsage(long calls, long inputTokens, long outputTokens, Double cost) {
  /** No model called. */
  public static final RunUsage NONE = new RunUsage(0, 0, 0, null);

  /**
   * Both summed (counts saturate at {@link Long#MAX_VALUE}, the cost at {@link Double#MAX_VALUE});
   * a cost is kept when either has one.
   */
  public RunUsage plus(RunUsage other) {
    return new RunUsage(
        saturated(calls, other.calls),
        saturated(inputTokens, other.inputTokens),
        saturated(outputTokens, other.outputTokens),
        costSum(cost, other.cost));
  }

  /** A sum of costs, either may be null; kept finite so that it stays a JSON number. */
  private static Double costSum(Double a, Double b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    double sum = a + b;
    return Double.isFinite(sum) ? sum : Double.MAX_VALUE;
  }

  /** Whether no model was called. */
  public boolean none() {
    return calls == 0;
  }

  /**
   * The one model call an event records, or null if it records none: an {@code action} whose data
   * is an object with {@code name} {@code "llm"} and whole, non-negative {@code input_tokens} and
   * {@code output_tokens}; {@code cost} counts when it is a finite, non-negative number. Anything
   * else — another action, a flow's own action that happens to be named {@code llm} without token
   * counts, data that is not JSON — is no model call. Never throws: a malformed event must not fail
   * the run whose log holds it.
   */
  public static RunUsage ofEvent(Event e) {
    if (!EventType.ACTION.type().equals(e.type()) || e.data() == null) {
      return null;
    }
    // Cheap test first: most actions of most runs are no model calls.
    if (!e.data().contains("\"llm\"")) {
      return null;
    }
    JsonNode d;
    try {
      d = e.dataNode();
    } catch (RuntimeException malformed) {
      return null;
    }
    if (d == null || !d.isObject() || !"llm".equals(d.path("name").asString(null))) {
      return null;
    }
    long in = count(d.get("input_tokens"));
    long out = count(d.get("output_tokens"));
    if (in < 0 || out < 0) {
      return null;
    }
    JsonNode c = d.get("cost");
    Double cost =
        c != null && c.isNumber() && Double.isFinite(c.asDouble()) && c.asDouble() >= 0
            ? c.asDouble()
            : null;
    return new RunUsage(1, in, out, cost);
  }

  /** A whole, non-negative count that fits a long, else -1. */
  private static long count(JsonNode v) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      return -1;
    }
    long n = v.asLong();
    return n < 0 ? -1 : n;
  }

  private static long saturated(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }
}
