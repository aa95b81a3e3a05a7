package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Declares {@code maxConcurrentRuns(3)}; says in its progress how many of its runs execute in this
 * JVM at this moment (itself included), then waits until the file {@code <dir>/<fid>} exists. Lets
 * a test release runs one by one and read from the events how many ran at once.
 */
public final class Limited implements Flow {
  private static final AtomicInteger RUNNING = new AtomicInteger();

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Limited")
        .maxConcurrentRuns(3)
        .inputs(Form.builder().text("dir", f -> f.required()))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    int now = RUNNING.incrementAndGet();
    try {
      ctx.progress(0.5, "running: " + now + " at once");
      Path signal = Path.of(ctx.inputs().text("dir"), ctx.fid());
      while (!Files.exists(signal)) {
        LockSupport.parkNanos(10_000_000L);
      }
      return Result.markdown("released");
    } finally {
      RUNNING.decrementAndGet();
    }
  }
}
