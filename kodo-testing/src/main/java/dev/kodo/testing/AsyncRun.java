package dev.kodo.testing;

import dev.kodo.client.Check;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.engine.LocalRun;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A test run executing on its own thread, made by {@link FlowTester#runAsync}: watch its events
 * as they come, {@link #kill()} it as a node would, and {@link #await()} its end.
 *
 * <pre>{@code
 * AsyncRun running = FlowTester.of(LongFlow.class).runAsync(Map.of());
 * running.awaitEvent(EventType.PROGRESS); // the flow is under way
 * running.kill();
 * TestRun run = running.await();
 * assertThat(run.state()).isEqualTo(RunState.KILLED);
 * }</pre>
 *
 * <p>The waiting methods give up after a timeout (30 seconds unless given) with an {@link
 * AssertionError} that shows the events so far; that is a guard against a hanging test, not a
 * measure of the flow's speed. Thread-safe.
 */
public final class AsyncRun {
  /** How long the waiting methods wait when no timeout is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final LocalRun run;
  private final String flow;
  private final EventLog log;
  private volatile Throwable crash;

  private AsyncRun(LocalRun run, String flow, EventLog log) {
    this.run = run;
    this.flow = flow;
    this.log = log;
  }

  static AsyncRun start(LocalRun run, String flow, EventLog log) {
    AsyncRun a = new AsyncRun(run, flow, log);
    Thread.ofVirtual().name("kodo-test-run-" + run.fid()).start(() -> {
      try {
        run.execute();
      } catch (Throwable t) {
        a.crash = t;
      } finally {
        log.close();
      }
    });
    return a;
  }

  public String fid() {
    return run.fid();
  }

  /** The events so far. */
  public List<Event> events() {
    return log.snapshot();
  }

  /** Whether the flow's thread has finished. */
  public boolean finished() {
    return log.closed();
  }

  /** Waits for the first event of a type, e.g. the first {@code progress}; see {@link #awaitEvent(Predicate, Duration)}. */
  public Event awaitEvent(EventType type) {
    Check.notNull(type, "type");
    return awaitEvent(e -> e.type().equals(type.type()), DEFAULT_TIMEOUT, "a " + type.type() + " event");
  }

  /**
   * Waits for the first event (from the start of the log) that matches {@code test}.
   *
   * @throws AssertionError if the run ends, or the timeout passes, without one
   */
  public Event awaitEvent(Predicate<Event> test, Duration timeout) {
    return awaitEvent(test, timeout, "an event matching the condition");
  }

  private Event awaitEvent(Predicate<Event> test, Duration timeout, String what) {
    Check.notNull(test, "test");
    Check.notNull(timeout, "timeout");
    Event e;
    try {
      e = log.await(test, timeout);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what + " in run " + fid(), ie);
    }
    if (e == null) {
      String why = log.closed() ? "the run ended without " + what : "gave up waiting for " + what + " after " + timeout;
      throw new AssertionError(why + "\n" + snapshot());
    }
    return e;
  }

  /**
   * Kills the run as a node would: appends a {@code kill} event and cancels the flow, whose thread
   * is interrupted wherever it is blocked. Returns false if the run had already ended.
   */
  public boolean kill() {
    return run.kill();
  }

  /** Waits for the run to end; see {@link #await(Duration)}. */
  public TestRun await() {
    return await(DEFAULT_TIMEOUT);
  }

  /**
   * Waits until the flow's thread has finished and returns the run's event log.
   *
   * @throws AssertionError if it does not finish within {@code timeout}, or if the engine itself
   *     failed (not the flow: a flow's exception is a {@code fatal} event)
   */
  public TestRun await(Duration timeout) {
    Check.notNull(timeout, "timeout");
    boolean done;
    try {
      done = log.awaitClosed(timeout);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for run " + fid() + " to end", ie);
    }
    if (!done) {
      throw new AssertionError("run " + fid() + " of " + flow + " did not end within " + timeout
          + (log.snapshot().stream().anyMatch(Event::terminal) ? " (its log has ended, but the flow's thread still runs)" : "")
          + "\n" + snapshot());
    }
    if (crash != null) {
      throw new AssertionError("the engine failed while running " + flow + ": " + crash, crash);
    }
    return snapshot();
  }

  private TestRun snapshot() {
    return new TestRun(fid(), flow, run.inputs(), log.snapshot());
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
