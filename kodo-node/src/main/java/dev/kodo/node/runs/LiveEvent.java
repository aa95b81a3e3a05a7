package dev.kodo.node.runs;

import dev.kodo.client.Event;
import java.nio.charset.StandardCharsets;

/**
 * A persisted event on its way to the live streams of its run, with its server-sent-event frame
 * made once for all of them: a run followed by ten streams has its event's JSON written once, not
 * ten times (docs/performance.md, "SSE fan-out").
 */
final class LiveEvent {
  final Event event;
  // Made by the first stream that writes it (two streams racing both make the same bytes);
  // volatile, so that a stream that sees the array sees its contents.
  private volatile byte[] frame;

  LiveEvent(Event event) {
    this.event = event;
  }

  /** The event as one SSE frame: {@code id} is its seq, {@code event} its type, {@code data} it. */
  byte[] frame() {
    byte[] f = frame;
    if (f == null) {
      f = frame(event);
      frame = f;
    }
    return f;
  }

  static byte[] frame(Event e) {
    return ("id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + e.toJson() + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
