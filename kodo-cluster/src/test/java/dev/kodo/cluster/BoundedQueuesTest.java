package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster's queues are bounded: a sender of events waits for its node, a launch beyond the run
 * queue is refused.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedQueuesTest {
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");
  private KodoCluster cluster;

  @BeforeEach
  void start() {
    cluster = KodoCluster.start(ClusterOptions.local("bounded-" + UUID.randomUUID()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aSenderWaitsWhileItsNodesEventQueueIsFullAndGoesOnOnceTheNodeTakesSome() throws Exception {
    String node = "node-" + UUID.randomUUID();
    for (int i = 0; i < KodoCluster.MAX_QUEUED_EVENT_BATCHES; i++) {
      cluster.sendEvents(
          node, List.of(Event.of("f", 0, TS, EventType.PROGRESS, "{\"n\":" + i + "}")));
    }
    CompletableFuture<Void> oneMore =
        CompletableFuture.runAsync(
            () ->
                cluster.sendEvents(
                    node, List.of(Event.of("f", 0, TS, EventType.PROGRESS, "{\"n\":-1}"))),
            r -> Thread.ofPlatform().start(r));

    Thread.sleep(500);
    assertThat(oneMore).as("a send into a full queue").isNotDone();

    List<Event> got = new ArrayList<>();
    cluster.receiveEvents(node, 1_000, got::addAll);
    oneMore.get(10, TimeUnit.SECONDS);
    while (cluster.receiveEvents(node, 200, got::addAll) > 0) {
      // drain
    }
    assertThat(got).hasSize(KodoCluster.MAX_QUEUED_EVENT_BATCHES + 1);
    assertThat(got.getLast().data()).isEqualTo("{\"n\":-1}");
  }

  @Test
  void aDispatchBeyondTheRunQueuesBoundIsRefusedRetryablyAndSaysSo() {
    String node = "node-" + UUID.randomUUID();
    for (int i = 0; i < KodoCluster.MAX_QUEUED_RUNS; i++) {
      cluster.dispatch(new RunTicket("fid-" + i, "demo.Flow", "{}", node));
    }
    assertThat(cluster.runQueueFull("demo.Flow")).isTrue();

    assertThatThrownBy(
            () -> cluster.dispatch(new RunTicket("one-too-many", "demo.Flow", "{}", node)))
        .isInstanceOfSatisfying(KodoException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("run queue is full")
        .hasMessageContaining("one-too-many");
  }
}
