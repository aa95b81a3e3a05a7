package dev.kodo.engine;

import dev.kodo.client.EventType;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;

/** The {@link FlowContext} of one execution: every call becomes an event on the sink. */
final class RunContext implements FlowContext {
  private final RunHandle handle;
  private final Inputs inputs;
  private final EventSink sink;

  RunContext(RunHandle handle, Inputs inputs, EventSink sink) {
    this.handle = handle;
    this.inputs = inputs;
    this.sink = sink;
  }

  @Override
  public String fid() {
    return handle.fid();
  }

  @Override
  public Inputs inputs() {
    return inputs;
  }

  @Override
  public void progress(double value, String message) {
    sink.emit(EventType.PROGRESS, EventData.progress(value, message));
  }

  @Override
  public void result(Result result) {
    sink.emit(EventType.RESULT, EventData.result(result));
  }

  @Override
  public void action(String name, Object data) {
    sink.emit(EventType.ACTION, EventData.action(name, data));
  }

  @Override
  public void log(String line) {
    sink.emit(EventType.STDOUT, EventData.line(line));
  }

  @Override
  public boolean cancelled() {
    return handle.cancelled();
  }
}
