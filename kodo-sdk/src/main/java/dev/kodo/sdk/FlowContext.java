package dev.kodo.sdk;

import java.time.Duration;

/**
 * What a running flow sees of Kodo: its inputs, and the ways to tell the world how it is doing.
 * Every call appends an event to the run's log, which clients follow live.
 *
 * <p>One context serves one run. Its methods may be called from any thread the flow starts; events
 * keep the order in which the calls were made.
 */
public interface FlowContext {

  /** The run's id. */
  String fid();

  /** The run's inputs, validated against the flow's form, with defaults filled in. */
  Inputs inputs();

  /** Reports how far the run has come: {@code value} from 0 to 1 and a short message. */
  void progress(double value, String message);

  /** Emits an intermediate result (a {@code result} event). */
  void result(Result result);

  /** Records a step the flow takes (an {@code action} event): a tool call, a decision, a fetch. */
  void action(String name, Object data);

  /** Writes a log line into the run (a {@code stdout} event). */
  void log(String line);

  /**
   * Stops and asks for input (docs/flows.md#asking-a-person-locks): emits a {@code lock} event with
   * the demand, marks the run {@code locked} and blocks this thread until an answer passes the
   * demand's form and check ({@code unlock}); answers that do not are denied with their reasons
   * ({@code unlock-deny}) and the lock stays open. A run may lock any number of times, one lock at
   * a time.
   *
   * @return the accepted answer, validated against the demand's form
   * @throws LockTimeoutException if no answer was accepted within {@code timeout}
   * @throws CancelledException if the run was killed while it waited
   */
  Inputs lock(Demand demand, Duration timeout);

  /**
   * {@link #lock(Demand, java.time.Duration)} with the default timeout of {@link
   * Demand#DEFAULT_TIMEOUT}.
   */
  default Inputs lock(Demand demand) {
    return lock(demand, Demand.DEFAULT_TIMEOUT);
  }

  /** Whether the run was killed; a long flow checks this between steps. */
  boolean cancelled();

  /** Throws {@link CancelledException} if the run was killed. */
  default void checkCancelled() {
    if (cancelled() || Thread.currentThread().isInterrupted()) {
      throw new CancelledException(fid());
    }
  }
}
