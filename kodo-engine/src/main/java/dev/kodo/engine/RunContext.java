package dev.kodo.engine;

import dev.kodo.client.Check;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.sdk.CancelledException;
import dev.kodo.sdk.Demand;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.sdk.LockTimeoutException;
import dev.kodo.sdk.Result;
import dev.kodo.sdk.internal.SdkBridge;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/** The {@link FlowContext} of one execution: every call becomes an event on the sink. */
final class RunContext implements EngineContext {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration LONGEST = Duration.ofDays(365);
  private final AtomicReference<String> openLock = new AtomicReference<>();

  private final RunHandle handle;
  private final Inputs inputs;
  private final EventSink sink;
  private final RunEnvironment environment;

  RunContext(RunHandle handle, Inputs inputs, EventSink sink) {
    this(handle, inputs, sink, RunEnvironment.PROCESS);
  }

  RunContext(RunHandle handle, Inputs inputs, EventSink sink, RunEnvironment environment) {
    this.handle = handle;
    this.inputs = inputs;
    this.sink = sink;
    this.environment = environment;
  }

  @Override
  public void emit(EventType type, String data) {
    sink.emit(type, data);
  }

  @Override
  public RunEnvironment environment() {
    return environment;
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

  // A parked run's virtual thread keeps this frame as long as it waits
  // (docs/performance.md#parked-runs): the wait is in it, not in a method of its own, and what
  // comes before and after the wait is in methods of their own, so that it stays small in the
  // JIT's hands.
  @Override
  public Inputs lock(Demand demand, Duration timeout) {
    String lid = open(demand, timeout);
    try {
      long deadline = announce(lid, demand, timeout);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw timedOut(lid, timeout);
        }
        RunHandle.Candidate c;
        try {
          // One wait to the deadline: a kill wakes it on whichever thread it waits
          // (RunHandle.cancel).
          c = handle.nextCandidate(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException(fid());
        }
        if (handle.cancelled()) {
          throw new CancelledException(fid());
        }
        if (c != null) {
          Inputs answer = consider(lid, demand, c);
          if (answer != null) {
            return answer;
          }
        }
      }
    } finally {
      openLock.set(null);
    }
  }

  /** Checks the arguments and opens a lock (one at a time); its lid. */
  private String open(Demand demand, Duration timeout) {
    Check.notNull(demand, "demand");
    Check.notNull(timeout, "timeout");
    Check.that(
        !timeout.isNegative() && !timeout.isZero(),
        "a lock timeout must be positive, not " + timeout);
    checkCancelled();
    String lid = newLid();
    if (!openLock.compareAndSet(null, lid)) {
      throw new IllegalStateException(
          "run "
              + fid()
              + " already waits on lock "
              + openLock.get()
              + "; a run holds one lock at a time");
    }
    return lid;
  }

  /** Emits the lock; its deadline, in {@link System#nanoTime} terms. */
  private long announce(String lid, Demand demand, Duration timeout) {
    Duration wait = timeout.compareTo(LONGEST) > 0 ? LONGEST : timeout;
    sink.emit(
        EventType.LOCK,
        EventData.lock(lid, demand, Instant.now().plus(wait).truncatedTo(ChronoUnit.MILLIS)));
    return System.nanoTime() + wait.toNanos();
  }

  private LockTimeoutException timedOut(String lid, Duration timeout) {
    sink.emit(EventType.LOCK_TIMEOUT, EventData.lockTimeout(lid));
    return new LockTimeoutException(fid(), lid, timeout);
  }

  /** The accepted answer, or null if the candidate was denied or the node withdrew it. */
  private Inputs consider(String lid, Demand demand, RunHandle.Candidate c) {
    if (!c.lid().equals(lid)) {
      sink.emit(
          EventType.UNLOCK_DENY,
          EventData.unlockDeny(
              c.lid(),
              c.cid(),
              List.of(
                  new InputError(
                      "", "lock " + c.lid() + " is not open; the open lock is " + lid))));
      return null;
    }
    try {
      Inputs answer = SdkBridge.accept(demand, parse(c));
      if (handle.withdrawn(c.cid())) {
        // The node gave up on this answer (unlock-timeout) while the flow checked it.
        return null;
      }
      sink.emit(EventType.UNLOCK, EventData.lockAnswer(lid, c.cid()));
      return answer;
    } catch (InvalidInputsException denied) {
      sink.emit(EventType.UNLOCK_DENY, EventData.unlockDeny(lid, c.cid(), denied.errors()));
      return null;
    }
  }

  private static Map<String, Object> parse(RunHandle.Candidate c) {
    try {
      Map<String, Object> values =
          Json.mapper().readValue(c.data(), new TypeReference<Map<String, Object>>() {});
      return values == null ? Map.of() : values;
    } catch (JacksonException e) {
      throw new InvalidInputsException(
          List.of(new InputError("", "an answer must be a JSON object of values")));
    }
  }

  private static String newLid() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
