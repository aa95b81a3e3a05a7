package dev.kodo.engine;

import dev.kodo.client.EventType;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.LockTimeoutException;
import dev.kodo.sdk.Result;

/**
 * Executes one run of a flow on the calling thread and turns everything it does into events: its
 * context calls, its stdout/stderr, its result ({@code final}) or its failure ({@code fatal}).
 * Knows nothing of where the events go. Stateless and thread-safe.
 */
public final class FlowRunner {
  private FlowRunner() {}

  public static RunOutcome run(LoadedFlow flow, Inputs inputs, RunHandle handle, EventSink sink) {
    return run(flow, inputs, handle, sink, RunEnvironment.PROCESS);
  }

  /**
   * Runs the flow with the secrets and engine settings of {@code environment}. A parked run's
   * thread keeps this frame as long as it waits (docs/performance.md#parked-runs): the ends that
   * are not {@code final} are in methods of their own, so that this one stays small in the JIT's
   * hands.
   */
  public static RunOutcome run(
      LoadedFlow flow,
      Inputs inputs,
      RunHandle handle,
      EventSink sink,
      RunEnvironment environment) {
    long start = System.nanoTime();
    handle.attach(Thread.currentThread());
    try {
      Result result;
      // The capture is closed (flushing a last line without a newline) before final or fatal, so
      // that everything the flow printed comes before the event that ends the run.
      try (StdCapture.Binding ignored =
          StdCapture.bind(
              line -> sink.emit(EventType.STDOUT, EventData.line(line)),
              line -> sink.emit(EventType.STDERR, EventData.line(line)))) {
        Flow instance = flow.newInstance();
        result = instance.run(new RunContext(handle, inputs, sink, environment));
      }
      if (handle.cancelled()) {
        return RunOutcome.KILLED;
      }
      if (result == null) {
        return noResult(flow, sink);
      }
      double runtime = (System.nanoTime() - start) / 1e9;
      sink.emit(EventType.FINAL, EventData.fin(result, Math.round(runtime * 1000) / 1000.0));
      return RunOutcome.DONE;
    } catch (Throwable t) {
      return failed(handle, sink, t);
    } finally {
      handle.detach();
      Thread.interrupted();
    }
  }

  private static RunOutcome noResult(LoadedFlow flow, EventSink sink) {
    sink.emit(
        EventType.FATAL,
        EventData.fatal(
            "no-result",
            "flow "
                + flow.path()
                + " returned null; return Result.markdown(...) or Result.json(...)",
            null));
    return RunOutcome.ERROR;
  }

  private static RunOutcome failed(RunHandle handle, EventSink sink, Throwable t) {
    // Only a kill through the handle ends a run as killed: nobody records a kill event for a
    // CancelledException the flow threw on its own (or after a stray interrupt), so that run
    // would otherwise stay pending for ever.
    if (handle.cancelled()) {
      return RunOutcome.KILLED;
    }
    String type =
        t.getClass().getSimpleName().isEmpty()
            ? t.getClass().getName()
            : t.getClass().getSimpleName();
    String message = type + (t.getMessage() == null ? "" : ": " + t.getMessage());
    String reason = t instanceof LockTimeoutException ? "lock-timeout" : "exception";
    // Every Throwable ends the run, an Error included (an OutOfMemoryError, a class that failed
    // to initialise, a jar that does not link): a run nobody ends stays pending for ever.
    sink.emit(EventType.FATAL, EventData.fatal(reason, message, t));
    if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
      // The run has ended; what a broken JVM means for the process is its host's to decide.
      throw vme;
    }
    return RunOutcome.ERROR;
  }
}
