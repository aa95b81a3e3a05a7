package dev.kodo.agents.internal;

import dev.kodo.sdk.FlowContext;

/**
 * Gathers a model's streamed tokens into few {@code stdout} events (docs/flows.md#langchain4j-in-a
 * -java-flow): the text so far is written when {@link #MAX_CHARS} characters have gathered or
 * {@link #MAX_MILLIS} have passed since the last write (looked at as tokens arrive), and at the end
 * of the answer. Concatenated, the lines of one stream are the answer. Thread-safe.
 */
final class StreamCoalescer {
  /** The most characters one event holds. */
  static final int MAX_CHARS = 4_000;

  /** The longest a token waits (while others arrive) before it is written. */
  static final long MAX_MILLIS = 500;

  private final FlowContext ctx;
  private final StringBuilder buffer = new StringBuilder();
  private long lastWrite = System.nanoTime();
  private int written;

  StreamCoalescer(FlowContext ctx) {
    this.ctx = ctx;
  }

  /** Adds a piece of the answer. */
  synchronized void add(String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    buffer.append(text);
    while (buffer.length() >= MAX_CHARS) {
      write(buffer.substring(0, MAX_CHARS));
      buffer.delete(0, MAX_CHARS);
    }
    if (!buffer.isEmpty() && System.nanoTime() - lastWrite >= MAX_MILLIS * 1_000_000) {
      flush();
    }
  }

  /** Writes what has gathered. */
  synchronized void flush() {
    if (!buffer.isEmpty()) {
      write(buffer.toString());
      buffer.setLength(0);
    }
  }

  /** How many characters have been added so far, written or not. */
  synchronized int received() {
    return written + buffer.length();
  }

  private void write(String text) {
    ctx.log(text);
    written += text.length();
    lastWrite = System.nanoTime();
  }
}
