package dev.kodo.testing;

import dev.kodo.client.Check;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.TokenSupplier;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.LocalRun;
import dev.kodo.engine.RunEnvironment;
import dev.kodo.engine.Secrets;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a flow in memory, the way a node would, so that a flow's author can test it: the run writes
 * the same event log ({@code inputs}, {@code version}, {@code flow}, then what the flow does,
 * ending in {@code final}, {@code fatal} or {@code kill}), and the returned {@link TestRun} reads
 * it back as state, progress, results, output and the final result.
 *
 * <pre>{@code
 * class HelloTest {
 *   FlowTester tester = FlowTester.of(Hello.class);
 *
 *   @Test
 *   void greets() {
 *     TestRun run = tester.run(Map.of("name", "Ada"));
 *     assertThat(run.state()).isEqualTo(RunState.DONE);
 *     assertThat(run.markdown()).contains("Hello, Ada");
 *   }
 *
 *   @Test
 *   void canBeKilled() {
 *     AsyncRun running = tester.runAsync(Map.of("name", "Ada"));
 *     running.awaitEvent(EventType.PROGRESS);
 *     running.kill();
 *     assertThat(running.await().state()).isEqualTo(RunState.KILLED);
 *   }
 * }
 * }</pre>
 *
 * <p>A flow that locks is tested with {@link #runAsync}: {@link AsyncRun#awaitLock()} waits for the
 * lock and {@link AsyncRun#answer(Map)} answers it, returning the flow's verdict.
 *
 * <p>Inputs are checked against the flow's form exactly as on a node: inputs that do not fit make
 * {@link #run} and {@link #runAsync} throw {@link dev.kodo.sdk.InvalidInputsException} before the
 * flow starts. Each run gets a fresh instance of the flow class. Immutable and thread-safe; one
 * tester may serve many runs, also in parallel.
 */
public final class FlowTester {
  private final LoadedFlow flow;
  private final RunEnvironment environment;

  private FlowTester(LoadedFlow flow, RunEnvironment environment) {
    this.flow = flow;
    this.environment = environment;
  }

  /**
   * A tester for a flow class. Loads it as a node would, so a class a node could not load (no
   * public no-argument constructor, a failing {@code spec()}) fails here with the same message.
   *
   * @throws dev.kodo.client.KodoException if the class cannot serve as a flow
   */
  public static FlowTester of(Class<? extends Flow> type) {
    return new FlowTester(LoadedFlow.of(Check.notNull(type, "flow class")), RunEnvironment.PROCESS);
  }

  /**
   * A tester for a flow already loaded, e.g. from a {@code .java} file through the engine's
   * catalogue.
   */
  public static FlowTester of(LoadedFlow flow) {
    return new FlowTester(Check.notNull(flow, "flow"), RunEnvironment.PROCESS);
  }

  /**
   * This tester, its runs resolving {@code ${VAR}} placeholders against {@code secrets} first and
   * the process environment second (as a node does with {@code kodo.secrets.*}), e.g. a scripted
   * model server's URL as {@code OPENAI_BASE_URL}.
   */
  public FlowTester withSecrets(Map<String, String> secrets) {
    return new FlowTester(
        flow,
        new RunEnvironment(
            Secrets.of(Check.notNull(secrets, "secrets")).orElse(environment.secrets()),
            environment.settings(),
            environment.token()));
  }

  /**
   * This tester, its runs seeing these engine settings (keys relative to {@code kodo.agents.},
   * docs/configuration.md), over the ones set before.
   */
  public FlowTester withSettings(Map<String, String> settings) {
    Map<String, String> merged = new HashMap<>(environment.settings());
    merged.putAll(Check.notNull(settings, "settings"));
    return new FlowTester(
        flow, new RunEnvironment(environment.secrets(), merged, environment.token()));
  }

  /**
   * This tester, its runs' calls to other nodes ({@code kodo_flow}) carrying the bearer token
   * {@code token} gives, as a node's runs carry the node's own identity
   * (docs/security.md#the-node-calling-other-nodes); e.g. {@code TokenSupplier.fixed(token, "the
   * test's token")}.
   */
  public FlowTester withToken(TokenSupplier token) {
    return new FlowTester(flow, environment.withToken(Check.notNull(token, "token")));
  }

  /** The flow's spec, as a node would publish it. */
  public FlowSpec spec() {
    return flow.spec();
  }

  /** The flow's path on a node: its class name. */
  public String path() {
    return flow.path();
  }

  /** Runs the flow without inputs (defaults apply) on the calling thread, until it ends. */
  public TestRun run() {
    return run(Map.of());
  }

  /**
   * Runs the flow on the calling thread until it ends and returns its event log.
   *
   * <p>Nobody can answer a lock of a run on the calling thread: a lock that expires within {@link
   * AsyncRun#DEFAULT_TIMEOUT} simply times out (to test how the flow copes), but a longer one would
   * hang the test, so the run is killed at once and this throws. Test locks with {@link #runAsync},
   * {@link AsyncRun#awaitLock()} and {@link AsyncRun#answer(Map)}.
   *
   * @throws dev.kodo.sdk.InvalidInputsException if the inputs do not fit the flow's form
   * @throws AssertionError if the flow locked for longer than {@link AsyncRun#DEFAULT_TIMEOUT}
   */
  public TestRun run(Map<String, ?> inputs) {
    EventLog log = new EventLog();
    AtomicReference<LocalRun> self = new AtomicReference<>();
    AtomicReference<Event> stuck = new AtomicReference<>();
    LocalRun run =
        LocalRun.prepare(
            flow,
            inputs,
            e -> {
              log.add(e);
              if (e.type().equals(EventType.LOCK.type())
                  && stuck.get() == null
                  && waitsTooLong(e)) {
                stuck.set(e);
                self.get()
                    .kill(); // on the flow's own thread: its lock is interrupted as soon as it
                // waits
              }
            },
            environment);
    self.set(run);
    run.execute();
    log.close();
    TestRun result = new TestRun(run.fid(), flow.path(), run.inputs(), log.snapshot());
    if (stuck.get() != null) {
      TestRun.Lock lock = TestRun.Lock.of(stuck.get());
      throw new AssertionError(
          "flow "
              + flow.path()
              + " locked (lock "
              + lock.lid()
              + ", \""
              + lock.title()
              + "\", until "
              + lock.expires()
              + ") in run(), where nobody can answer; the run was killed. Test it with runAsync(…),"
              + " awaitLock() and answer(…)\n"
              + result);
    }
    return result;
  }

  private static boolean waitsTooLong(Event lock) {
    String expires = lock.dataNode().path("expires").asString(null);
    return expires == null
        || Instant.parse(expires).isAfter(Instant.now().plus(AsyncRun.DEFAULT_TIMEOUT));
  }

  /** Starts the flow without inputs on its own thread; see {@link #runAsync(Map)}. */
  public AsyncRun runAsync() {
    return runAsync(Map.of());
  }

  /**
   * Starts the flow on its own (virtual) thread and returns at once, to watch the run while it goes
   * and to kill it.
   *
   * @throws dev.kodo.sdk.InvalidInputsException if the inputs do not fit the flow's form; the flow
   *     does not start then
   */
  public AsyncRun runAsync(Map<String, ?> inputs) {
    EventLog log = new EventLog();
    LocalRun run = LocalRun.prepare(flow, inputs, log::add, environment);
    return AsyncRun.start(run, flow.path(), log);
  }
}
