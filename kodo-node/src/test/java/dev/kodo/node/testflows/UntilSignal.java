package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Reports progress, then waits (ignoring interrupts, as a flow busy in a model call would) until
 * the file named by its {@code signal} input exists; then appends its fid to the file named by
 * {@code done} and returns its final. Lets a test in another JVM decide when finals are emitted.
 */
public final class UntilSignal implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Until signal")
        .inputs(Form.builder().text("signal", f -> f.required()).text("done", f -> f.required()))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws Exception {
    ctx.progress(0.1, "waiting for the signal");
    Path signal = Path.of(ctx.inputs().text("signal"));
    while (!Files.exists(signal)) {
      LockSupport.parkNanos(10_000_000L);
    }
    synchronized (UntilSignal.class) {
      Files.writeString(
          Path.of(ctx.inputs().text("done")),
          ctx.fid() + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return Result.markdown("signalled");
  }
}
