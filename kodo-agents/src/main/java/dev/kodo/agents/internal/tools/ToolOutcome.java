package dev.kodo.agents.internal.tools;

import java.util.Map;

/**
 * What one tool call gave: a result or an error text (both go back to the model), and extra fields
 * for the {@code tool} event, e.g. {@code node} and {@code fid} of a {@code kodo_flow} sub-run.
 */
public record ToolOutcome(String result, String error, Map<String, Object> extra) {

  public ToolOutcome {
    extra = Map.copyOf(extra);
  }

  public static ToolOutcome ok(String result) {
    return new ToolOutcome(result, null, Map.of());
  }

  public static ToolOutcome failed(String error) {
    return new ToolOutcome(null, error, Map.of());
  }

  /** This outcome with the extra fields of the {@code tool} event. */
  public ToolOutcome with(Map<String, Object> fields) {
    return new ToolOutcome(result, error, fields);
  }

  /** Whether the tool failed. */
  public boolean isError() {
    return error != null;
  }

  /** The text the model reads: the result, or the error marked as one. */
  public String forModel() {
    return error != null ? "ERROR: " + error : result;
  }
}
