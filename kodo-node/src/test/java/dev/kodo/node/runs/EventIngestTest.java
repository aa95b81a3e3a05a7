package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.testing.InMemoryCluster;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The event ingest's loop when the cluster keeps failing (e.g. its member shut down). */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class EventIngestTest {

  @Test
  void aClusterThatFailsEveryReceiveIsRetriedWithBackOffNotInAHotLoop(@TempDir Path dir)
      throws Exception {
    try (NodeRig rig =
        new NodeRig(dir, null, new InMemoryCluster(), false, Duration.ofSeconds(5))) {
      AtomicInteger receives = new AtomicInteger();
      Cluster failing =
          (Cluster)
              Proxy.newProxyInstance(
                  Cluster.class.getClassLoader(),
                  new Class<?>[] {Cluster.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("receiveEvents")) {
                      receives.incrementAndGet();
                      throw new IllegalStateException("the cluster member is gone");
                    }
                    try {
                      return method.invoke(rig.cluster, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      EventIngest ingest = new EventIngest(failing, rig.journal, rig.properties);
      ingest.start();
      Thread.sleep(500);
      ingest.stop();
      // Back-off from 10 ms, doubling: a handful of attempts in half a second (and fewer on a slow
      // machine), where a loop without it makes thousands.
      assertThat(receives.get()).isBetween(1, 20);
      assertThat(ingest.isRunning()).isFalse();
    }
  }
}
