package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Address;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two members in one JVM on loopback, the second joining the first by its address: what one node's
 * member puts on the cluster, another machine's worker sees, and back.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KodoClusterIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");

  private static KodoCluster a;
  private static KodoCluster b;

  @BeforeAll
  static void start() {
    String name = "t-" + UUID.randomUUID();
    ClusterSecret secret = ClusterSecret.generate();
    a = KodoCluster.start(ClusterOptions.local(name, secret));
    b = joining(a, name, secret);
  }

  /** A second member that joins {@code first} by its address; returns once both see two. */
  private static KodoCluster joining(KodoCluster first, String name, ClusterSecret secret) {
    Address address = first.hazelcast().getCluster().getLocalMember().getAddress();
    KodoCluster second =
        KodoCluster.start(
            new ClusterOptions(
                name,
                "127.0.0.1",
                ClusterOptions.DEFAULT_PORT,
                List.of(address.getHost() + ":" + address.getPort()),
                secret));
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (first.memberCount() < 2 && System.nanoTime() < end) {
      LockSupport.parkNanos(1_000_000);
    }
    return second;
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void bothMembersSeeOneClusterOfTwo() {
    assertThat(a.memberCount()).isEqualTo(2);
    assertThat(b.memberCount()).isEqualTo(2);
    assertThat(a.memberId()).isNotEqualTo(b.memberId());
  }

  @Test
  void aRunDispatchedOnOneMemberIsTakenOnTheOtherOnce() throws InterruptedException {
    RunTicket t =
        new RunTicket(UUID.randomUUID().toString(), "demo.Hello", "{\"name\":\"Ada\"}", "node-a");

    a.dispatch(t);

    assertThat(b.takeRun(DEADLINE.toMillis())).isEqualTo(t);
    assertThat(a.takeRun(1)).isNull();
    assertThat(a.queuedRuns()).isZero();
  }

  @Test
  void eventsSentFromTheOtherMemberReachTheNodeInOrder() throws InterruptedException {
    String node = "node-" + UUID.randomUUID();
    int n = 0;
    for (int batch = 0; batch < 40; batch++) {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        events.add(Event.of("f1", 0, TS.plusMillis(n), EventType.PROGRESS, "{\"n\":" + n++ + "}"));
      }
      b.sendEvents(node, events);
    }

    List<Event> got = Received.events(a, node, n, DEADLINE);

    for (int i = 0; i < n; i++) {
      assertThat(got.get(i).dataNode().path("n").asInt()).isEqualTo(i);
      assertThat(got.get(i).ts()).isEqualTo(TS.plusMillis(i));
    }
  }

  /**
   * A node receiving on member a gets a's own batches in memory and b's over the cluster queue
   * (docs/architecture.md#events-from-workers-to-nodes); a receive waiting for the one wakes for
   * the other, and each sender's order holds.
   */
  @Test
  void aNodeGetsItsOwnMembersEventsAndTheOtherMembersTogetherEachInOrder() throws Exception {
    String node = "node-" + UUID.randomUUID();
    assertThat(a.receiveEvents(node, 1, events -> {})).isZero();
    List<Event> got = new ArrayList<>();
    Thread waiting =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    a.receiveEvents(node, DEADLINE.toMillis(), got::addAll);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Thread.sleep(100);

    b.sendEvents(node, List.of(Event.of("fb", 0, TS, EventType.PROGRESS, "{\"n\":0}")));
    waiting.join(DEADLINE.toMillis() / 2);
    assertThat(waiting.isAlive()).as("a receive still waiting after b's batch arrived").isFalse();
    assertThat(got).extracting(Event::fid).containsExactly("fb");

    for (int n = 1; n <= 30; n++) {
      a.sendEvents(node, List.of(Event.of("fa", 0, TS, EventType.PROGRESS, "{\"n\":" + n + "}")));
      b.sendEvents(node, List.of(Event.of("fb", 0, TS, EventType.PROGRESS, "{\"n\":" + n + "}")));
    }
    List<Event> rest = Received.events(a, node, 60, DEADLINE);
    for (String fid : List.of("fa", "fb")) {
      assertThat(rest.stream().filter(e -> e.fid().equals(fid)))
          .extracting(e -> e.dataNode().path("n").asInt())
          .containsExactlyElementsOf(
              java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList());
    }
  }

  @Test
  void aKillPublishedOnOneMemberReachesTheOthersListener() throws InterruptedException {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    b.onKill(heard::add);
    String fid = UUID.randomUUID().toString();

    a.kill(fid);

    assertThat(heard.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(fid);
  }

  @Test
  void anAssignmentMadeOnOneMemberIsSeenOnTheOther() {
    String fid = UUID.randomUUID().toString();

    b.assign(fid, "worker-b@" + b.memberId());
    assertThat(a.assignee(fid)).isEqualTo("worker-b@" + b.memberId());

    b.assign(fid, null);
    assertThat(a.assignee(fid)).isNull();
  }

  /**
   * A node that dies while it waits for events on a queue another member holds must not take the
   * next batch with it: a blocking poll left waiting there would be handed that batch before the
   * cluster noticed the death (docs/architecture.md#two-nodes-one-database).
   */
  @Test
  void aMemberKilledWhileWaitingForEventsOnAQueueAnotherHoldsTakesNoneOfThem() throws Exception {
    String name = "t-" + UUID.randomUUID();
    ClusterSecret secret = ClusterSecret.generate();
    KodoCluster dying = KodoCluster.start(ClusterOptions.local(name, secret));
    try (KodoCluster survivor = joining(dying, name, secret)) {
      String node = nodeWhoseQueueIsOn(survivor);
      Thread waiting =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      dying.receiveEvents(node, 3_000, events -> {});
                    } catch (InterruptedException | RuntimeException gone) {
                      // the member is terminated under it
                    }
                  });
      Thread.sleep(300); // the receive is waiting by now

      dying.hazelcast().getLifecycleService().terminate();
      survivor.sendEvents(node, List.of(Event.of("f1", 0, TS, EventType.PROGRESS, "{\"n\":1}")));

      List<Event> got = Received.events(survivor, node, 1, DEADLINE);
      assertThat(got.getFirst().dataNode().path("n").asInt()).isEqualTo(1);
      waiting.join(DEADLINE.toMillis());
    }
  }

  private static String nodeWhoseQueueIsOn(KodoCluster member) {
    var hz = member.hazelcast();
    while (true) {
      String node = "node-" + UUID.randomUUID();
      var owner =
          hz.getPartitionService()
              .getPartition(hz.getQueue("kodo.events." + node).getPartitionKey())
              .getOwner();
      if (owner != null && owner.localMember()) {
        return node;
      }
    }
  }
}
