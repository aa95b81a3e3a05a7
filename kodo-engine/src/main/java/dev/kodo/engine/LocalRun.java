package dev.kodo.engine;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Fids;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.internal.SdkBridge;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a flow in this JVM, without a node, writing the same event log a node would: {@code inputs},
 * {@code version}, {@code flow}, then what the flow does, and {@code kill} if it is killed. As on a
 * node, {@code seq} counts from 1 without gaps and whatever the flow still emits once the run has
 * ended ({@code final}, {@code fatal}, {@code kill}) is dropped. This is {@code koco run} and the
 * heart of the in-memory test harness.
 *
 * <pre>{@code
 * LocalRun run = LocalRun.prepare(flow, Map.of("topic", "tea"), events::add); // validates
 * RunOutcome outcome = run.execute();   // on this thread; run.kill() from another one
 * }</pre>
 *
 * <p>Lifecycle: {@link #prepare} validates the inputs and emits the first three events; {@link
 * #execute} runs the flow once, on the calling thread; {@link #kill} may be called from any thread
 * at any time. The listener is called under a lock, one event at a time, from the flow's threads;
 * it must be quick and must not print to {@code System.out} (on the flow's thread that output would
 * itself be captured into the run). Thread-safe.
 */
public final class LocalRun {
  private final LoadedFlow flow;
  private final Inputs inputs;
  private final RunHandle handle;
  private final Consumer<Event> listener;
  private final RunEnvironment environment;
  private final Object lock = new Object();
  private long seq; // guarded by lock
  private boolean ended; // guarded by lock
  private boolean started; // guarded by lock

  private LocalRun(
      LoadedFlow flow,
      Inputs inputs,
      RunHandle handle,
      Consumer<Event> listener,
      RunEnvironment environment) {
    this.flow = flow;
    this.inputs = inputs;
    this.handle = handle;
    this.listener = listener;
    this.environment = environment;
  }

  /**
   * Validates {@code rawInputs} against the flow's form and emits the run's {@code inputs}, {@code
   * version} and {@code flow} events; the flow does not run yet.
   *
   * @throws dev.kodo.sdk.InvalidInputsException if the inputs do not fit the form; nothing is
   *     emitted then
   */
  public static LocalRun prepare(
      LoadedFlow flow, Map<String, ?> rawInputs, Consumer<Event> listener) {
    return prepare(flow, rawInputs, listener, RunEnvironment.PROCESS);
  }

  /**
   * As {@link #prepare(LoadedFlow, Map, Consumer)}, the run seeing {@code environment}'s secrets
   * and engine settings instead of the process environment's.
   */
  public static LocalRun prepare(
      LoadedFlow flow,
      Map<String, ?> rawInputs,
      Consumer<Event> listener,
      RunEnvironment environment) {
    Inputs inputs = SdkBridge.validate(flow.spec().inputs(), rawInputs);
    LocalRun run = new LocalRun(flow, inputs, new RunHandle(Fids.next()), listener, environment);
    run.emit(EventType.INPUTS, EventData.inputs(inputs));
    run.emit(EventType.VERSION, EventData.version());
    run.emit(EventType.FLOW, EventData.flow(flow));
    return run;
  }

  /**
   * Validates {@code rawInputs} against the flow's form (throwing {@link
   * dev.kodo.sdk.InvalidInputsException} if they do not fit), then runs the flow on the calling
   * thread, handing each event to {@code listener} in order.
   */
  public static RunOutcome execute(
      LoadedFlow flow, Map<String, ?> rawInputs, Consumer<Event> listener) {
    return prepare(flow, rawInputs, listener).execute();
  }

  public String fid() {
    return handle.fid();
  }

  /** The validated inputs, with defaults filled in. */
  public Inputs inputs() {
    return inputs;
  }

  /**
   * Runs the flow on the calling thread and returns how it ended. A run killed before it started
   * does not start.
   *
   * @throws KodoException if this run was already executed
   */
  public RunOutcome execute() {
    synchronized (lock) {
      if (started) {
        throw new KodoException(
            "run " + fid() + " of " + flow.path() + " was already executed; prepare a new run");
      }
      started = true;
      if (ended) {
        return RunOutcome.KILLED;
      }
    }
    return FlowRunner.run(flow, inputs, handle, this::emit, environment);
  }

  /**
   * Kills the run as a node would: appends {@code kill} and cancels the flow (its thread is
   * interrupted). Returns false, and does nothing, if the run has already ended.
   */
  public boolean kill() {
    synchronized (lock) {
      if (ended) {
        return false;
      }
      emit(EventType.KILL, EventData.kill("local"));
    }
    handle.cancel();
    return true;
  }

  /**
   * Answers the run's open lock as a node would relay a client's answer: records {@code candidate}
   * and hands it to the flow, which accepts ({@code unlock}) or denies ({@code unlock-deny}) it.
   * Returns the candidate's id.
   *
   * @param values the answer's values, as a client would post them
   */
  public String answer(String lid, Map<String, ?> values) {
    String cid = Fids.next().substring(24);
    String data = Json.write(values);
    emit(EventType.CANDIDATE, EventData.candidate(lid, cid, data));
    handle.offer(new RunHandle.Candidate(lid, cid, data));
    return cid;
  }

  private void emit(EventType type, String data) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = type.terminal();
      listener.accept(
          Event.of(fid(), ++seq, Instant.now().truncatedTo(ChronoUnit.MILLIS), type, data));
    }
  }
}
