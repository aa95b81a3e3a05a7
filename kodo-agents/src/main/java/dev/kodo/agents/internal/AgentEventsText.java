package dev.kodo.agents.internal;

import dev.kodo.agents.internal.tools.ToolOutcome;

/** Small text rules of the agent loop: how long a tool result the model reads may be. */
final class AgentEventsText {
  /** Longest tool result handed back to a model. */
  static final int MAX_TOOL_RESULT = 20_000;

  private AgentEventsText() {}

  static String forModel(ToolOutcome outcome) {
    String text = outcome.forModel();
    return clip(text == null ? "" : text, MAX_TOOL_RESULT);
  }

  static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max
        ? s
        : s.substring(0, max) + "… (" + (s.length() - max) + " more characters cut)";
  }
}
