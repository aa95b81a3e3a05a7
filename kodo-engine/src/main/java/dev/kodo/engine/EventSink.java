package dev.kodo.engine;

import dev.kodo.client.EventType;

/**
 * Where a running flow's events go: to the cluster on a worker, to the terminal in {@code koco
 * run}, to a list in tests. Implementations stamp the time and the run's id and must keep the order
 * of calls; they are called from the flow's threads.
 */
@FunctionalInterface
public interface EventSink {

  /** Emits one event; {@code data} is a JSON object text. */
  void emit(EventType type, String data);
}
