package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.collection.IQueue;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events a member's own workers send to a node that receives on the same member go in memory, not
 * over the cluster queue (docs/architecture.md#events-from-workers-to-nodes): same checks, same
 * form, same bound, same order.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EventChannelsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456789Z");
  private KodoCluster cluster;
  private String node;

  @BeforeEach
  void start() {
    cluster = KodoCluster.start(ClusterOptions.local("channels-" + UUID.randomUUID()));
    node = "node-" + UUID.randomUUID();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private IQueue<byte[]> clusterQueue() {
    return cluster.hazelcast().getQueue("kodo.events." + node);
  }

  private static List<Event> batch(int from, int count) {
    List<Event> batch = new ArrayList<>();
    for (int n = from; n < from + count; n++) {
      batch.add(Event.of("run-1", 7, TS, EventType.PROGRESS, "{\"n\":" + n + "}"));
    }
    return batch;
  }

  private void startReceiving() throws InterruptedException {
    assertThat(cluster.receiveEvents(node, 1, events -> {})).isZero();
  }

  /** Fills the node's inbox, then sends one more batch ({@code n} -1) from a thread of its own. */
  private CompletableFuture<Void> fillTheInboxThenSendOneMore() throws InterruptedException {
    startReceiving();
    for (int i = 0; i < Cluster.MAX_QUEUED_EVENT_BATCHES; i++) {
      cluster.sendEvents(node, batch(i, 1));
    }
    return CompletableFuture.runAsync(
        () -> cluster.sendEvents(node, batch(-1, 1)), r -> Thread.ofPlatform().start(r));
  }

  @Test
  void aNodeReceivingHereGetsThisMembersBatchesInMemoryInTheFormTheClusterQueueGives()
      throws InterruptedException {
    startReceiving();

    cluster.sendEvents(node, batch(0, 3));
    cluster.sendEvents(node, batch(3, 2));

    assertThat(clusterQueue().size()).as("batches on the cluster queue").isZero();
    List<Event> got = Received.events(cluster, node, 5, DEADLINE);
    assertThat(got).extracting(e -> e.dataNode().path("n").asInt()).containsExactly(0, 1, 2, 3, 4);
    List<Event> overTheCluster =
        EventCodec.decode(EventCodec.encode(cluster.memberId(), batch(0, 1))).events();
    assertThat(got.getFirst()).isEqualTo(overTheCluster.getFirst());
    assertThat(got.getFirst().seq()).isZero();
    assertThat(got.getFirst().ts()).isEqualTo(Instant.parse("2026-11-27T11:12:13.456Z"));
  }

  @Test
  void aBatchWithATypeOutsideTheCatalogueIsRefusedWhereItIsSentAsOverTheCluster()
      throws InterruptedException {
    startReceiving();
    Event odd = new Event("run-1", 0, TS, "process", "telemetry", "{}");

    assertThatThrownBy(() -> cluster.sendEvents(node, List.of(odd)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("'telemetry'");
    assertThat(cluster.receiveEvents(node, 1, events -> {})).isZero();
  }

  @Test
  void aMemberThatSentBeforeTheNodeReceivedHereKeepsTheClusterQueueSoNoBatchPassesAnother()
      throws InterruptedException {
    cluster.sendEvents(node, batch(0, 2));
    assertThat(Received.events(cluster, node, 2, DEADLINE))
        .extracting(e -> e.dataNode().path("n").asInt())
        .containsExactly(0, 1);
    cluster.sendEvents(node, batch(2, 2));

    assertThat(clusterQueue().size()).isEqualTo(1);
    assertThat(Received.events(cluster, node, 2, DEADLINE))
        .extracting(e -> e.dataNode().path("n").asInt())
        .containsExactly(2, 3);
    assertThat(clusterQueue().size()).isZero();
  }

  @Test
  void receivedUpToNowCountsTheBatchesWaitingInMemory() throws InterruptedException {
    startReceiving();
    cluster.sendEvents(node, batch(0, 1));
    cluster.sendEvents(node, batch(1, 1));

    BooleanSupplier seen = cluster.receivedUpToNow(node);

    assertThat(seen.getAsBoolean()).isFalse();
    cluster.receiveEvents(node, 100, events -> {});
    assertThat(seen.getAsBoolean()).isTrue();
  }

  @Test
  void aWaitingReceiveWakesForABatchSentInMemory() throws Exception {
    startReceiving();
    CompletableFuture<List<Event>> receiving =
        CompletableFuture.supplyAsync(
            () -> {
              List<Event> got = new ArrayList<>();
              try {
                cluster.receiveEvents(node, DEADLINE.toMillis(), got::addAll);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return got;
            },
            r -> Thread.ofPlatform().start(r));
    Thread.sleep(100);

    cluster.sendEvents(node, batch(0, 1));

    // Well before the receive's own timeout: it was woken, not timed out.
    assertThat(receiving.get(DEADLINE.toSeconds() / 2, TimeUnit.SECONDS)).hasSize(1);
  }

  @Test
  void aSenderWaitsWhileTheInboxIsFullAndGoesOnOnceTheNodeTakesSome() throws Exception {
    CompletableFuture<Void> oneMore = fillTheInboxThenSendOneMore();

    Thread.sleep(500);
    assertThat(oneMore).as("a send into a full inbox").isNotDone();

    List<Event> got = new ArrayList<>();
    cluster.receiveEvents(node, 1_000, got::addAll);
    oneMore.get(10, TimeUnit.SECONDS);
    while (cluster.receiveEvents(node, 200, got::addAll) > 0) {
      // drain
    }
    assertThat(got).hasSize(Cluster.MAX_QUEUED_EVENT_BATCHES + 1);
    assertThat(got.getLast().data()).isEqualTo("{\"n\":-1}");
    assertThat(clusterQueue().size()).isZero();
  }

  @Test
  void aSenderWaitingForRoomFailsRetryablyWhenTheMemberLeaves() throws Exception {
    CompletableFuture<Void> waiting = fillTheInboxThenSendOneMore();
    Thread.sleep(200);

    cluster.close();

    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(KodoException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("left the cluster")
        .hasMessageContaining(node);
  }
}
