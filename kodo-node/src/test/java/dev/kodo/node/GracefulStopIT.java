package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.node.testflows.UntilSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A graceful stop (SIGTERM) of a node in its own JVM while many runs are about to emit their {@code
 * final}: the worker lets them end, their events are read and stored before the store closes, so
 * after a restart every one of them is {@code done} and none was ended as {@code node-restarted}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GracefulStopIT {
  private static final int RUNS = 200;

  @Test
  void finalsEmittedWhileTheNodeStopsAreAllKept() throws Exception {
    Path data = Path.of("target", "it-data", "graceful-" + UUID.randomUUID()).toAbsolutePath();
    Path signal = data.resolveSibling(data.getFileName() + "-go");
    Path done = data.resolveSibling(data.getFileName() + "-done.txt");
    String cluster = "graceful-" + UUID.randomUUID();
    int port = NodeProcess.freePort();
    String[] args = {
      "--kodo.flows=classpath:*," + UntilSignal.class.getName(), "--kodo.worker.shutdown-grace=60s"
    };
    List<String> fids = new ArrayList<>();

    try (NodeProcess node = NodeProcess.start(port, data, cluster, args)) {
      NodeClient client = node.client();
      for (int i = 0; i < RUNS; i++) {
        fids.add(
            client
                .launch(
                    UntilSignal.class.getName(),
                    Map.of("signal", signal.toString(), "done", done.toString()))
                .fid());
      }
      for (String fid : fids) {
        NodeTestSupport.await(
            "run " + fid + " to start", () -> client.run(fid).progress().message());
      }
      Thread signaller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    // Well into the stop: the old node had stopped reading events and interrupted
                    // its runs by then.
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    try {
                      Files.createFile(signal);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });

      int exit = node.terminate(Duration.ofSeconds(120));

      signaller.join();
      assertThat(exit).as("exit code of the stopped node; log: %s", node.log()).isIn(0, 130, 143);
    }

    assertThat(new HashSet<>(Files.readAllLines(done)))
        .as("every flow emitted its final")
        .containsExactlyInAnyOrderElementsOf(fids);
    try (NodeProcess node = NodeProcess.start(port, data, cluster, args)) {
      NodeClient client = node.client();
      List<String> lost = new ArrayList<>();
      for (String fid : fids) {
        RunDocument run = client.run(fid);
        if (run.state() != RunState.DONE) {
          lost.add(fid + " " + run.state() + " " + run.error());
        }
      }
      assertThat(lost).as("runs whose final was emitted during the stop but not kept").isEmpty();
    }
  }
}
