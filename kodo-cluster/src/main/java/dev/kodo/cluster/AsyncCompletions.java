package dev.kodo.cluster;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Where Hazelcast completes its asynchronous operations' futures (docs/performance.md, "One thread
 * started per run"). Hazelcast runs those completions on the JDK's common pool, except where that
 * pool has a parallelism of 1 — on a machine with two cores — where it starts a new platform thread
 * for each one, as {@code CompletableFuture} does. Every {@code IMap.deleteAsync} ({@link
 * KodoCluster#unassignLater}, at the end of every run) then cost one thread start. There, Kodo has
 * them run on virtual threads instead: one thread per completion still, so a completion that blocks
 * holds up nothing, at a fraction of the cost.
 */
final class AsyncCompletions {
  private static final Executor VIRTUAL =
      task -> Thread.ofVirtual().name("kodo-hz-async").start(task);

  private AsyncCompletions() {}

  /** The executor for a common pool of {@code parallelism}: null keeps Hazelcast's own. */
  static Executor forParallelism(int parallelism) {
    return parallelism > 1 ? null : VIRTUAL;
  }

  /** Installs the executor this JVM's common pool calls for; idempotent. */
  static void install() {
    Executor e = forParallelism(ForkJoinPool.getCommonPoolParallelism());
    if (e != null && ConcurrencyUtil.getDefaultAsyncExecutor() != e) {
      ConcurrencyUtil.setDefaultAsyncExecutor(e);
    }
  }
}
