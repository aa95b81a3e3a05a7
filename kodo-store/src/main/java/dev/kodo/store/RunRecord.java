package dev.kodo.store;

import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import java.time.Instant;

/**
 * The cached summary of one run, derived from its events by {@link RunFold}. JSON-valued components
 * hold JSON text (or null).
 *
 * @param progress the last {@code progress} value (0..1), 0 before any
 * @param progressMessage the last progress message, or null
 * @param inputs the run's inputs (JSON object)
 * @param result the {@code final} event's data, or null
 * @param error the {@code fatal} event's data, or null
 * @param lock the open {@code lock} event's data, or null when no lock is open
 * @param lockId the open lock's {@code lid}, or null
 * @param finished when the run reached {@code final}, {@code fatal} or {@code kill}; null before
 * @param lastSeq the highest seq in the run's log
 * @param usage the model calls of its {@code llm} actions, summed ({@link RunUsage#NONE} before
 *     any)
 */
public record RunRecord(
    String fid,
    String flow,
    String owner,
    RunState state,
    double progress,
    String progressMessage,
    String inputs,
    String result,
    String error,
    String lock,
    String lockId,
    Instant created,
    Instant finished,
    boolean acknowledged,
    long lastSeq,
    RunUsage usage) {

  /** The summary of a run that has no events yet. */
  public static RunRecord start(NewRun run) {
    return new RunRecord(
        run.fid(),
        run.flow(),
        run.owner(),
        RunState.PENDING,
        0,
        null,
        run.inputs(),
        null,
        null,
        null,
        null,
        run.created(),
        null,
        false,
        0,
        RunUsage.NONE);
  }
}
