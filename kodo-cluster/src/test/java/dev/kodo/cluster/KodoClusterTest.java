package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cluster.Address;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One member, shared by the tests of this class; each test uses its own node names and fids. */
class KodoClusterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");

  private static KodoCluster cluster;

  @BeforeAll
  static void start() {
    cluster = KodoCluster.start(ClusterOptions.local("t-" + UUID.randomUUID()));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void emptyTheRunQueue() throws InterruptedException {
    while (cluster.takeRun(0) != null) {
      // left over by an earlier test
    }
  }

  private static String node() {
    return "node-" + UUID.randomUUID();
  }

  private static RunTicket ticket(int i, String node) {
    return new RunTicket(UUID.randomUUID().toString(), "demo.Flow" + i, "{\"i\":" + i + "}", node);
  }

  @Test
  void isAOneMemberClusterOnLoopback() {
    Address address = cluster.hazelcast().getCluster().getLocalMember().getAddress();

    assertThat(cluster.memberCount()).isEqualTo(1);
    assertThat(address.getHost()).isEqualTo("127.0.0.1");
    assertThat(address.getPort())
        .isBetween(ClusterOptions.DEFAULT_PORT, ClusterOptions.DEFAULT_PORT + 100);
  }

  @Test
  void theMemberIdIsTheMembersUuidAndFindsTheRunsAssignedToItsWorkers() {
    String id = cluster.memberId();
    String fid = UUID.randomUUID().toString();

    assertThat(id)
        .as("the member's UUID as the cluster knows it")
        .isEqualTo(cluster.hazelcast().getCluster().getLocalMember().getUuid().toString())
        .isEqualTo(cluster.memberId());
    cluster.assign(fid, "w-1@" + id);
    try {
      assertThat(cluster.assignedOnMember(id))
          .as("the runs a node ends if this member is lost")
          .contains(fid);
      assertThat(cluster.assignedOnMember(UUID.randomUUID().toString())).doesNotContain(fid);
    } finally {
      cluster.assign(fid, null);
    }
  }

  @Test
  void runsOfAFlowAreTakenInTheOrderTheyWereDispatched() throws InterruptedException {
    // Each flow has its own queue (docs/architecture.md#workers-and-dispatch): order holds per
    // flow.
    String node = node();
    List<RunTicket> sent = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      RunTicket t =
          new RunTicket(UUID.randomUUID().toString(), "demo.Ordered", "{\"i\":" + i + "}", node);
      sent.add(t);
      cluster.dispatch(t);
    }
    assertThat(cluster.queuedRuns()).isEqualTo(25);

    List<RunTicket> taken = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      taken.add(cluster.takeRun(1_000));
    }

    assertThat(taken).containsExactlyElementsOf(sent);
    assertThat(cluster.queuedRuns()).isZero();
    assertThat(cluster.takeRun(1)).isNull();
  }

  @Test
  void aTicketKeepsItsInputsExactly() throws InterruptedException {
    RunTicket t =
        new RunTicket(
            UUID.randomUUID().toString(),
            "crews/research team.yaml",
            "{\"topic\":\"tides \\\"and\\\" 潮 😀\",\"n\":12345678901234567890,\"nested\":{\"a\":[1,null,true]}}",
            "local");
    RunTicket none = new RunTicket(UUID.randomUUID().toString(), "demo.NoInputs", null, "local");

    cluster.dispatch(t);
    cluster.dispatch(none);

    assertThat(cluster.takeRuns(List.of(t.flow()), 1, 1_000)).containsExactly(t);
    assertThat(cluster.takeRuns(List.of(none.flow()), 1, 1_000)).containsExactly(none);
  }

  @Test
  void aWaitingTakerGetsARunDispatchedLater() throws Exception {
    RunTicket t = ticket(1, node());
    CompletableFuture<RunTicket> taker =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return cluster.takeRun(DEADLINE.toMillis());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    cluster.dispatch(t);

    assertThat(taker.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(t);
  }

  @Test
  void eventsFromManyBatchesAndSeveralSendersArriveInEachSendersOrder() throws Exception {
    String node = node();
    int senders = 4;
    int batches = 60;
    int perBatch = 7;
    CyclicBarrier go = new CyclicBarrier(senders);
    List<CompletableFuture<Void>> sending = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      sending.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  go.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                int n = 0;
                for (int b = 0; b < batches; b++) {
                  List<Event> batch = new ArrayList<>();
                  for (int i = 0; i < perBatch; i++) {
                    batch.add(
                        Event.of(
                            "run-" + sender, 0, TS, EventType.PROGRESS, "{\"n\":" + n++ + "}"));
                  }
                  cluster.sendEvents(node, batch);
                }
              },
              runnable -> Thread.ofPlatform().start(runnable)));
    }

    List<Event> got = Received.events(cluster, node, senders * batches * perBatch, DEADLINE);

    CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new))
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    Map<String, List<Integer>> bySender = new HashMap<>();
    for (Event e : got) {
      bySender.computeIfAbsent(e.fid(), f -> new ArrayList<>()).add(e.dataNode().path("n").asInt());
    }
    assertThat(bySender).hasSize(senders);
    List<Integer> expected = IntStream.range(0, batches * perBatch).boxed().toList();
    bySender.forEach(
        (sender, ns) ->
            assertThat(ns).as("events of %s", sender).containsExactlyElementsOf(expected));
  }

  @Test
  void receivedEventsAreTheSentOnesWithoutSeq() throws InterruptedException {
    String node = node();
    List<Event> sent =
        List.of(
            Event.of("f1", 0, TS, EventType.PROGRESS, "{\"value\":0.5,\"message\":\"half\"}"),
            Event.of(
                "f1",
                0,
                TS.plusMillis(5),
                EventType.FINAL,
                "{\"result\":{\"format\":\"json\",\"body\":[1]},\"runtime\":0.1}"));

    cluster.sendEvents(node, sent);

    assertThat(Received.events(cluster, node, 2, DEADLINE)).containsExactlyElementsOf(sent);
  }

  @Test
  void eachNodeReceivesOnlyTheEventsSentToIt() throws InterruptedException {
    String a = node();
    String b = node();
    cluster.sendEvents(a, List.of(Event.of("fa", 0, TS, EventType.PROGRESS, "{}")));
    cluster.sendEvents(b, List.of(Event.of("fb", 0, TS, EventType.PROGRESS, "{}")));

    assertThat(Received.events(cluster, a, 1, DEADLINE))
        .extracting(Event::fid)
        .containsExactly("fa");
    assertThat(Received.events(cluster, b, 1, DEADLINE))
        .extracting(Event::fid)
        .containsExactly("fb");
  }

  @Test
  void receivingWhenNothingWasSentReturnsZeroWithoutCallingTheSink() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();

    assertThat(cluster.receiveEvents(node(), 1, events -> calls.incrementAndGet())).isZero();
    assertThat(calls).hasValue(0);
  }

  @Test
  void anUnreadableBatchDoesNotTakeTheGoodOnesWithIt() throws InterruptedException {
    String node = node();
    cluster.sendEvents(node, List.of(Event.of("f1", 0, TS, EventType.PROGRESS, "{\"n\":1}")));
    byte[] fromAnotherRelease =
        EventCodec.encode(
            cluster.memberId(), List.of(Event.of("f1", 0, TS, EventType.PROGRESS, "{}")));
    fromAnotherRelease[0] = 9;
    cluster.hazelcast().<byte[]>getQueue("kodo.events." + node).offer(fromAnotherRelease);
    cluster.sendEvents(node, List.of(Event.of("f1", 0, TS, EventType.PROGRESS, "{\"n\":2}")));

    List<Event> got = Received.events(cluster, node, 2, DEADLINE);

    assertThat(got).extracting(e -> e.dataNode().path("n").asInt()).containsExactly(1, 2);
  }

  @Test
  void aKillReachesEveryListenerInOrder() throws InterruptedException {
    BlockingQueue<String> first = new LinkedBlockingQueue<>();
    BlockingQueue<String> second = new LinkedBlockingQueue<>();
    cluster.onKill(first::add);
    cluster.onKill(second::add);
    List<String> fids =
        List.of(
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString());

    fids.forEach(cluster::kill);

    for (BlockingQueue<String> heard : List.of(first, second)) {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < fids.size(); i++) {
        got.add(heard.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
      }
      assertThat(got).containsExactlyElementsOf(fids);
    }
  }

  @Test
  void anAssignmentNamesTheWorkerUntilItIsCleared() {
    String fid = UUID.randomUUID().toString();
    assertThat(cluster.assignee(fid)).isNull();

    cluster.assign(fid, "worker-1@m1");
    assertThat(cluster.assignee(fid)).isEqualTo("worker-1@m1");

    cluster.assign(fid, "worker-2@m2");
    assertThat(cluster.assignee(fid)).isEqualTo("worker-2@m2");

    cluster.assign(fid, null);
    assertThat(cluster.assignee(fid)).isNull();
  }

  @Test
  void optionsAreCheckedWhenMade() {
    ClusterSecret s = ClusterSecret.generate();
    assertThatThrownBy(() -> new ClusterOptions(" ", "127.0.0.1", 5710, List.of(), s))
        .hasMessageContaining("cluster name");
    assertThatThrownBy(() -> new ClusterOptions("k", "", 5710, List.of(), s))
        .hasMessageContaining("cluster host");
    assertThatThrownBy(() -> new ClusterOptions("k", "127.0.0.1", 0, List.of(), s))
        .hasMessageContaining("not 0");
    assertThatThrownBy(() -> new ClusterOptions("k", "127.0.0.1", 65536, List.of(), s))
        .hasMessageContaining("not 65536");
    assertThatThrownBy(() -> new ClusterOptions("k", "127.0.0.1", 5710, List.of(), null))
        .hasMessageContaining("cluster secret");
    assertThat(new ClusterOptions("k", "127.0.0.1", 5710, null, s).members()).isEmpty();
    List<String> members = new ArrayList<>(List.of("127.0.0.1:5711"));
    ClusterOptions o = new ClusterOptions("k", "127.0.0.1", 5710, members, s);
    members.add("127.0.0.1:5712");
    assertThat(o.members()).containsExactly("127.0.0.1:5711");
    assertThat(ClusterOptions.local("k", s))
        .isEqualTo(new ClusterOptions("k", "127.0.0.1", 5710, List.of(), s));
    assertThat(ClusterOptions.local("k").secret())
        .as("a local cluster's own secret")
        .isNotEqualTo(ClusterOptions.local("k").secret());
  }

  @Test
  void aBatchOfTakenRunsIsCheckedForKillsAndTheRestAssignedAtOnce() {
    List<String> fids = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID().toString()).toList();
    cluster.kill(fids.get(1));
    cluster.kill(fids.get(3));

    var killed = cluster.killedElseAssign(fids, "worker-b@m1");

    assertThat(killed).containsExactlyInAnyOrder(fids.get(1), fids.get(3));
    assertThat(cluster.assignee(fids.get(0))).isEqualTo("worker-b@m1");
    assertThat(cluster.assignee(fids.get(2))).isEqualTo("worker-b@m1");
    assertThat(cluster.assignee(fids.get(4))).isEqualTo("worker-b@m1");
    assertThat(cluster.assignee(fids.get(1))).as("a killed run is not assigned").isNull();
    assertThat(cluster.assignee(fids.get(3))).isNull();

    String alone = UUID.randomUUID().toString();
    assertThat(cluster.killedElseAssign(List.of(alone), "worker-b@m1")).isEmpty();
    assertThat(cluster.assignee(alone)).isEqualTo("worker-b@m1");
  }
}
