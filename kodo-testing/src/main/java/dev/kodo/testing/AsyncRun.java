package dev.kodo.testing;

import dev.kodo.client.Check;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.engine.LocalRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A test run executing on its own thread, made by {@link FlowTester#runAsync}: watch its events as
 * they come, answer its locks as a person would, {@link #kill()} it as a node would, and {@link
 * #await()} its end.
 *
 * <pre>{@code
 * AsyncRun running = FlowTester.of(LongFlow.class).runAsync(Map.of());
 * running.awaitEvent(EventType.PROGRESS); // the flow is under way
 * running.kill();
 * TestRun run = running.await();
 * assertThat(run.state()).isEqualTo(RunState.KILLED);
 * }</pre>
 *
 * <p>A flow that locks ({@code ctx.lock(demand, timeout)}) waits for an answer; {@link
 * #awaitLock()} waits until it does and shows the demand, {@link #answer(Map)} answers it and
 * returns the flow's verdict:
 *
 * <pre>{@code
 * AsyncRun running = FlowTester.of(PlanApproval.class).runAsync(Map.of("goal", "move the wiki"));
 * TestRun.Lock lock = running.awaitLock();
 * assertThat(lock.fields()).containsExactly("approve", "comment");
 * TestRun.Verdict denied = running.answer(Map.of("approve", false));
 * assertThat(denied.reasons("comment")).containsExactly("say why you reject the plan");
 * assertThat(running.answer(Map.of("approve", true)).accepted()).isTrue();
 * assertThat(running.await().markdown()).startsWith("# Plan carried out");
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
    Thread.ofVirtual()
        .name("kodo-test-run-" + run.fid())
        .start(
            () -> {
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

  /**
   * Waits for the first event of a type, e.g. the first {@code progress}; see {@link
   * #awaitEvent(Predicate, Duration)}.
   */
  public Event awaitEvent(EventType type) {
    Check.notNull(type, "type");
    return awaitEvent(
        e -> e.type().equals(type.type()), DEFAULT_TIMEOUT, "a " + type.type() + " event");
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
      String why =
          log.closed()
              ? "the run ended without " + what
              : "gave up waiting for " + what + " after " + timeout;
      throw new AssertionError(why + "\n" + snapshot());
    }
    return e;
  }

  /** Waits until the flow holds an open lock; see {@link #awaitLock(Duration)}. */
  public TestRun.Lock awaitLock() {
    return awaitLock(DEFAULT_TIMEOUT);
  }

  /**
   * Waits until the flow holds an open lock (a {@code lock} event not yet followed by its {@code
   * unlock} or {@code lock-timeout}) and returns it. A lock already answered does not count: after
   * an accepted answer this waits for the flow's next lock.
   *
   * @throws AssertionError if the run ends, or the timeout passes, without an open lock
   */
  public TestRun.Lock awaitLock(Duration timeout) {
    Check.notNull(timeout, "timeout");
    Optional<TestRun.Lock> lock;
    try {
      lock = log.probe(TestRun::openLock, timeout);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a lock in run " + fid(), ie);
    }
    return lock.orElseThrow(
        () ->
            new AssertionError(
                (log.closed()
                        ? "the run ended without an open lock"
                        : "gave up waiting for a lock after " + timeout)
                    + "\n"
                    + snapshot()));
  }

  /**
   * Answers the open lock as a person would through a node ({@code candidate}), waits for the flow
   * to consider the answer, and returns its verdict: accepted ({@code unlock}; the flow goes on) or
   * denied ({@code unlock-deny}, with the reasons; the lock stays open for another answer).
   *
   * @param values the answer, as a client would post it: field name to value
   * @throws AssertionError if no lock is open, or the run ends or {@link #DEFAULT_TIMEOUT} passes
   *     before the flow gave its verdict
   */
  public TestRun.Verdict answer(Map<String, ?> values) {
    Check.notNull(values, "values");
    TestRun.Lock open = TestRun.openLock(log.snapshot()).orElseThrow(() -> noOpenLock());
    return answer(open.lid(), values);
  }

  /**
   * Answers the lock {@code lid}, which need not be the open one (the flow denies an answer to a
   * lock that is not open); otherwise as {@link #answer(Map)}. Some lock must be open.
   */
  public TestRun.Verdict answer(String lid, Map<String, ?> values) {
    Check.notBlank(lid, "lid");
    Check.notNull(values, "values");
    // The flow reads answers only while it waits in a lock; one given at another time would wait
    // unread until the flow's next lock.
    if (TestRun.openLock(log.snapshot()).isEmpty()) {
      throw noOpenLock();
    }
    String cid = run.answer(lid, values);
    Optional<Event> outcome;
    try {
      outcome =
          log.probe(
              events ->
                  events.stream()
                      .filter(
                          e ->
                              e.terminal()
                                  || (isVerdict(e)
                                      && cid.equals(e.dataNode().path("cid").asString(""))))
                      .findFirst(),
              DEFAULT_TIMEOUT);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AssertionError(
          "interrupted while waiting for the verdict on answer " + cid + " in run " + fid(), ie);
    }
    if (outcome.isEmpty()) {
      throw new AssertionError(
          (log.closed() ? "the run ended" : "gave up after " + DEFAULT_TIMEOUT)
              + " without a verdict on answer "
              + cid
              + " to lock "
              + lid
              + "\n"
              + snapshot());
    }
    Event e = outcome.get();
    if (e.terminal()) {
      throw new AssertionError(
          "the run ended ("
              + e.type()
              + ") before the flow gave its verdict on answer "
              + cid
              + " to lock "
              + lid
              + "\n"
              + snapshot());
    }
    return TestRun.Verdict.of(e);
  }

  private static boolean isVerdict(Event e) {
    return e.type().equals(EventType.UNLOCK.type())
        || e.type().equals(EventType.UNLOCK_DENY.type());
  }

  private AssertionError noOpenLock() {
    TestRun now = snapshot();
    return new AssertionError(
        "run "
            + fid()
            + " has no open lock to answer (it is "
            + now.state()
            + "); wait for one with awaitLock()\n"
            + now);
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
      throw new AssertionError(
          "run "
              + fid()
              + " of "
              + flow
              + " did not end within "
              + timeout
              + (log.snapshot().stream().anyMatch(Event::terminal)
                  ? " (its log has ended, but the flow's thread still runs)"
                  : "")
              + "\n"
              + snapshot());
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
