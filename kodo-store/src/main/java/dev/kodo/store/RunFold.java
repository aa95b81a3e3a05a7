package dev.kodo.store;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import tools.jackson.databind.JsonNode;

/**
 * Derives a run's summary from its events, one event at a time: {@code fold(fold(start, e1), e2)…}
 * gives the same {@link RunRecord} as reading the whole log. Every backend uses this one function,
 * so derived state means the same thing everywhere. Pure and thread-safe.
 */
public final class RunFold {
  private RunFold() {}

  public static RunRecord apply(RunRecord r, Event e) {
    EventType t = e.eventType();
    if (t == null) {
      return with(r, r.state(), e.seq());
    }
    double progress = r.progress();
    String message = r.progressMessage();
    String result = r.result();
    String error = r.error();
    String lock = r.lock();
    String lockId = r.lockId();
    var finished = r.finished();
    boolean acknowledged = r.acknowledged();
    RunUsage usage = r.usage();
    boolean fatal = r.error() != null;
    // Once fatal, the state is error whatever else happens, so "killed" only matters without it.
    boolean killed = r.state() == RunState.KILLED;
    boolean done = r.result() != null;
    switch (t) {
      case PROGRESS -> {
        JsonNode d = e.dataNode();
        progress = d.path("value").asDouble(progress);
        message = d.path("message").isString() ? d.path("message").asString() : message;
      }
      case FINAL -> {
        result = e.data();
        done = true;
        progress = 1.0;
        finished = finished == null ? e.ts() : finished;
      }
      case FATAL -> {
        error = e.data();
        fatal = true;
        finished = finished == null ? e.ts() : finished;
      }
      case KILL -> {
        killed = true;
        finished = finished == null ? e.ts() : finished;
      }
      case LOCK -> {
        lock = e.data();
        lockId = e.dataNode().path("lid").asString(null);
      }
      case UNLOCK, LOCK_TIMEOUT -> {
        String lid = e.dataNode().path("lid").asString(null);
        if (lockId != null && lockId.equals(lid)) {
          lock = null;
          lockId = null;
        }
      }
      case ACKNOWLEDGE -> acknowledged = true;
      case ACTION -> {
        // A model call (docs/events.md#derived-state); malformed data is no call, never a failure.
        RunUsage call = RunUsage.ofEvent(e);
        if (call != null) {
          usage = usage.plus(call);
        }
      }
      default -> {}
    }
    RunState state = RunState.derive(fatal, killed, done, lockId != null);
    if (state.finished()) {
      lock = null;
      lockId = null;
    }
    return new RunRecord(
        r.fid(),
        r.flow(),
        r.owner(),
        state,
        progress,
        message,
        r.inputs(),
        result,
        error,
        lock,
        lockId,
        r.created(),
        finished,
        acknowledged,
        Math.max(r.lastSeq(), e.seq()),
        usage);
  }

  private static RunRecord with(RunRecord r, RunState s, long seq) {
    return new RunRecord(
        r.fid(),
        r.flow(),
        r.owner(),
        s,
        r.progress(),
        r.progressMessage(),
        r.inputs(),
        r.result(),
        r.error(),
        r.lock(),
        r.lockId(),
        r.created(),
        r.finished(),
        r.acknowledged(),
        Math.max(r.lastSeq(), seq),
        r.usage());
  }
}
