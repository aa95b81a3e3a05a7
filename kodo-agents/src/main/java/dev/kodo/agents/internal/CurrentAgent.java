package dev.kodo.agents.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The agent a thread is working for, as the agentic listener ({@link AgenticObserver}) saw it
 * start: model calls and tool calls made on that thread name it in their events. A stack, as agents
 * nest (a sequence runs its sub-agents on its own thread).
 */
final class CurrentAgent {
  private static final ThreadLocal<Deque<String>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private CurrentAgent() {}

  /** The innermost agent working on this thread, or null. */
  static String get() {
    return STACK.get().peek();
  }

  static void enter(String agent) {
    if (agent != null) {
      STACK.get().push(agent);
    }
  }

  /** Leaves {@code agent} (the innermost occurrence), wherever it is on the stack. */
  static void leave(String agent) {
    Deque<String> stack = STACK.get();
    if (agent != null) {
      stack.removeFirstOccurrence(agent);
    }
    if (stack.isEmpty()) {
      STACK.remove();
    }
  }
}
