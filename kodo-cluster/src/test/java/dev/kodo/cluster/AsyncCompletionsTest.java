package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncCompletionsTest {
  @Test
  void aCommonPoolOfOneThreadGetsVirtualThreadsAndALargerOneIsKept() throws Exception {
    assertThat(AsyncCompletions.forParallelism(4)).isNull();
    Executor one = AsyncCompletions.forParallelism(1);
    CompletableFuture<Boolean> virtual = new CompletableFuture<>();
    one.execute(() -> virtual.complete(Thread.currentThread().isVirtual()));
    assertThat(virtual.get(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * On this machine's common pool, whatever its size: a run's end ({@code unassignLater}, an {@code
   * IMap.deleteAsync}) starts no platform thread. On two cores it started one each.
   */
  @Test
  void deletingAsynchronouslyStartsNoPlatformThreadPerCall() throws Exception {
    try (KodoCluster cluster = KodoCluster.start(ClusterOptions.local("a-" + UUID.randomUUID()))) {
      IMap<String, String> m = cluster.hazelcast().getMap("async-completions");
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        keys.add("k" + i);
        m.set("k" + i, "v");
      }
      var threads = ManagementFactory.getThreadMXBean();
      long before = threads.getTotalStartedThreadCount();
      List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
      for (String k : keys) {
        CompletionStage<Boolean> d = m.deleteAsync(k);
        deletes.add(d.toCompletableFuture());
      }
      CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long started = threads.getTotalStartedThreadCount() - before;

      assertThat(m.size()).isZero();
      assertThat(started).as("platform threads started by 200 deleteAsync calls").isLessThan(20);
    }
  }
}
