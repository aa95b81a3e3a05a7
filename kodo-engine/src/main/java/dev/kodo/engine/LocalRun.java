package dev.kodo.engine;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.sdk.Inputs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs a flow in this JVM, without a node, writing the same event log a node would ({@code
 * inputs}, {@code version}, {@code flow}, then what the flow does) to a listener. This is {@code
 * koco run} and the heart of the in-memory test harness.
 */
public final class LocalRun {
  private LocalRun() {}

  /**
   * Validates {@code rawInputs} against the flow's form (throwing {@link
   * dev.kodo.sdk.InvalidInputsException} if they do not fit), then runs the flow on the calling
   * thread, handing each event to {@code listener} in order.
   */
  public static RunOutcome execute(LoadedFlow flow, Map<String, ?> rawInputs, Consumer<Event> listener) {
    Inputs inputs = flow.spec().inputs().validate(rawInputs);
    String fid = UUID.randomUUID().toString();
    AtomicLong seq = new AtomicLong();
    EventSink sink = (type, data) -> {
      synchronized (seq) {
        listener.accept(Event.of(fid, seq.incrementAndGet(), Instant.now().truncatedTo(ChronoUnit.MILLIS), type, data));
      }
    };
    sink.emit(EventType.INPUTS, inputs.toJson());
    sink.emit(EventType.VERSION, EventData.version());
    sink.emit(EventType.FLOW, EventData.flow(flow));
    return FlowRunner.run(flow, inputs, new RunHandle(fid), sink);
  }
}
