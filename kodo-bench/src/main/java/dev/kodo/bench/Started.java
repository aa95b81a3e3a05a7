package dev.kodo.bench;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A benchmark flow that says when and where it started: its result is the wall clock in epoch
 * microseconds read as its first statement runs on the worker, and the worker's process id. On one
 * machine the wall clock is the same in every process, so the launcher's clock before {@code POST
 * /api/runs} and this one measure launch → running across processes ({@link DispatchScenario}).
 */
public final class Started implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Started")
        .description("Benchmark flow: returns when (epoch µs) and in which process it started.")
        .tags("bench")
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    long micros = epochMicros();
    return Result.json(new Start(micros, ProcessHandle.current().pid()));
  }

  /** The wall clock in microseconds since the epoch. */
  static long epochMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  /** The result: when the flow started (epoch µs) and the process it ran in. */
  public record Start(long startedMicros, long pid) {}
}
