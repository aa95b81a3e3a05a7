package dev.kodo.cli.workerflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Declares {@code maxConcurrentRuns(3)}; says in a progress event that it started and in which
 * process, waits (at most two minutes) until the file {@code <dir>/<fid>} exists, then writes
 * {@code <dir>/<fid>.times}: its process id and the microseconds since the epoch at which it
 * started and ended. Lets a test on the same machine release runs one by one and read how many ran
 * at once across worker processes (docs/flows.md#how-many-runs-at-once).
 */
public final class Admitted implements Flow {
  private static final long MAX_WAIT_NANOS = TimeUnit.MINUTES.toNanos(2);

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Admitted")
        .maxConcurrentRuns(3)
        .inputs(Form.builder().text("dir", f -> f.required()))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    long pid = ProcessHandle.current().pid();
    long start = micros();
    ctx.progress(0.5, "started in " + pid);
    Path dir = Path.of(ctx.inputs().text("dir"));
    Path signal = dir.resolve(ctx.fid());
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
    while (!Files.exists(signal)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not released within two minutes");
      }
      LockSupport.parkNanos(10_000_000L);
    }
    try {
      Files.writeString(dir.resolve(ctx.fid() + ".times"), pid + " " + start + " " + micros());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Result.json(java.util.Map.of("pid", pid));
  }

  private static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }
}
