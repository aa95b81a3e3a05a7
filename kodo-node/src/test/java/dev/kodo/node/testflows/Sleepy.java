package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports progress and sleeps for a day unless interrupted; records, in this JVM, the runs that
 * started and those a kill interrupted. For tests whose worker runs in the test's JVM.
 */
public final class Sleepy implements Flow {
  public static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
  public static final Set<String> INTERRUPTED = ConcurrentHashMap.newKeySet();

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Sleepy").build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    ctx.progress(0.1, "sleeping");
    STARTED.add(ctx.fid());
    try {
      Thread.sleep(Duration.ofDays(1));
    } catch (InterruptedException e) {
      INTERRUPTED.add(ctx.fid());
      throw e;
    }
    return Result.markdown("woke up");
  }
}
