package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may join a node's cluster, and whose events the node takes. A node's member on loopback with
 * a secret; a worker's member with the same secret joins it; members without it, plain Hazelcast
 * members and clients that know the cluster's name are turned away.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterSecurityIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");
  private static final String NAME = "sec-" + UUID.randomUUID();
  private static final ClusterSecret SECRET = ClusterSecret.generate();

  private static KodoCluster node;
  private static KodoCluster worker;
  private static String nodeAddress;

  @BeforeAll
  static void start() {
    node = KodoCluster.start(ClusterOptions.local(NAME, SECRET));
    Address a = node.hazelcast().getCluster().getLocalMember().getAddress();
    nodeAddress = a.getHost() + ":" + a.getPort();
    worker = KodoCluster.start(joining(SECRET));
    waitFor(() -> node.memberCount() == 2);
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static ClusterOptions joining(ClusterSecret secret) {
    return new ClusterOptions(
        NAME, "127.0.0.1", ClusterOptions.DEFAULT_PORT, List.of(nodeAddress), secret);
  }

  private static void waitFor(BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      LockSupport.parkNanos(10_000_000);
    }
  }

  @Test
  void aMemberWithTheSecretJoins() {
    assertThat(node.memberCount()).isEqualTo(2);
    assertThat(worker.memberCount()).isEqualTo(2);
  }

  @Test
  void aMemberWithAnotherSecretIsRefusedAndStaysAlone() {
    try (KodoCluster stranger = KodoCluster.start(joining(ClusterSecret.generate()))) {
      assertThat(stranger.memberCount()).isEqualTo(1);
      assertThat(node.memberCount()).isEqualTo(2);
      assertThat(node.hazelcast().getCluster().getMembers())
          .extracting(m -> m.getUuid().toString())
          .doesNotContain(stranger.memberId());
    }
  }

  @Test
  void aPlainHazelcastMemberThatKnowsTheClusterNameIsRefused() {
    Config config = new Config();
    config.setClusterName(NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.partition.count", "71");
    config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config
        .getNetworkConfig()
        .setPort(ClusterOptions.DEFAULT_PORT)
        .setPortAutoIncrement(true)
        .setPortCount(100);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of(nodeAddress));

    HazelcastInstance plain = Hazelcast.newHazelcastInstance(config);
    try {
      assertThat(plain.getCluster().getMembers()).hasSize(1);
      assertThat(node.memberCount()).isEqualTo(2);
    } finally {
      plain.shutdown();
    }
  }

  @Test
  void aHazelcastClientThatKnowsTheClusterNameIsRefused() {
    ClientConfig config = new ClientConfig();
    config.setClusterName(NAME);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().addAddress(nodeAddress);
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(3_000);

    assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(config).shutdown())
        .hasMessageContaining("Unable to connect");
  }

  /**
   * What a deserialization gadget looks like to Hazelcast: a Serializable class outside the JDK.
   */
  record Gadget(String payload) implements Serializable {}

  @Test
  void aMemberDeserializesNoClassesButTheJdksAndHazelcasts() {
    String key = UUID.randomUUID().toString();
    worker.hazelcast().getMap("kodo.probe").set(key, new Gadget("x"));

    assertThatThrownBy(() -> node.hazelcast().getMap("kodo.probe").get(key))
        .hasStackTraceContaining("Resolving class " + Gadget.class.getName() + " is not allowed");
    assertThat(node.hazelcast().getMap("kodo.probe").get(key + "-absent")).isNull();
  }

  @Test
  void theNodeTakesOnlyEventsForRunsTheSendingMemberExecutes() throws InterruptedException {
    String nodeName = "node-" + UUID.randomUUID();
    String ofTheNode = UUID.randomUUID().toString();
    String ofTheWorker = UUID.randomUUID().toString();
    String finished = UUID.randomUUID().toString();
    node.assign(ofTheNode, "local-worker@" + node.memberId());
    node.assign(ofTheWorker, "remote@" + worker.memberId());
    long droppedBefore = node.foreignEventsDropped();

    worker.sendEvents(
        nodeName,
        List.of(
            Event.of(
                ofTheNode,
                0,
                TS,
                EventType.FINAL,
                "{\"result\":{\"format\":\"json\",\"body\":\"forged\"},\"runtime\":0}"),
            Event.of(ofTheWorker, 0, TS, EventType.PROGRESS, "{\"n\":1}")));
    worker.sendEvents(
        nodeName, List.of(Event.of(ofTheNode, 0, TS, EventType.PROGRESS, "{\"n\":2}")));
    worker.sendEvents(
        nodeName,
        List.of(
            Event.of(finished, 0, TS, EventType.PROGRESS, "{\"n\":3}"),
            Event.of(ofTheWorker, 0, TS, EventType.PROGRESS, "{\"n\":4}")));
    node.sendEvents(nodeName, List.of(Event.of(ofTheNode, 0, TS, EventType.PROGRESS, "{\"n\":5}")));

    List<Event> got = new ArrayList<>();
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (got.size() < 4 && System.nanoTime() < end) {
      node.receiveEvents(nodeName, 100, got::addAll);
    }
    node.receiveEvents(nodeName, 200, got::addAll);

    assertThat(got)
        .extracting(e -> e.fid() + "/" + e.dataNode().path("n").asInt())
        .containsExactlyInAnyOrder(
            ofTheWorker + "/1", finished + "/3", ofTheWorker + "/4", ofTheNode + "/5");
    assertThat(node.foreignEventsDropped() - droppedBefore).isEqualTo(2);
  }
}
