package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistryStore} must do, written once and run against SQLite and PostgreSQL:
 * extend it and say how to open the store under test. Each test uses node names of its own, so a
 * subclass may keep one database for all of them.
 */
abstract class RegistryStoreContract {
  protected RegistryStore store;
  private final String tag = UUID.randomUUID().toString().substring(0, 8);

  /** Opens the store under test; opening again after closing it must find the same data. */
  protected abstract RegistryStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private String name(String base) {
    return base + "-" + tag;
  }

  private StoredNode loaded(String node) {
    return store.load().stream().filter(n -> n.name().equals(node)).findFirst().orElse(null);
  }

  private void reopen() {
    store.close();
    store = openStore();
  }

  private static FlowAnnouncement rich(String path) {
    return new FlowAnnouncement(
        path,
        "Märkte & Berichte",
        "Line one\nline two — with “quotes” and 😀",
        "Ada",
        "ACME",
        Instant.parse("2026-11-27T11:12:13.456Z"),
        "2.0.0-beta.1+b7",
        List.of("finance", "Weekly"));
  }

  @Test
  void aRegisteredNodeIsStoredOnce() {
    String a = name("alpha");
    store.register(a, T0);
    store.register(a, T0.plusSeconds(60));
    StoredNode n = loaded(a);
    assertThat(n.registered()).isEqualTo(T0);
    assertThat(n.connected()).isFalse();
    assertThat(n.url()).isNull();
    assertThat(n.heartbeat()).isNull();
    assertThat(n.flows()).isEmpty();
    assertThat(n.constraints()).isEqualTo(Constraints.NONE);
    assertThat(n.availability()).isNull();
  }

  @Test
  void aConnectStoresTheUrlTagsAndFlowsAndReplacesTheEarlierFlows() {
    String a = name("alpha");
    store.register(a, T0);
    store.connect(
        a,
        "http://alpha:3370",
        List.of("eu", "gpu"),
        List.of(
            rich("a.yaml"),
            new FlowAnnouncement("b.yaml", "B", "", "", "", null, "1.0.0", List.of())),
        T0.plusSeconds(5));
    StoredNode n = loaded(a);
    assertThat(n.url()).isEqualTo("http://alpha:3370");
    assertThat(n.tags()).containsExactly("eu", "gpu");
    assertThat(n.connected()).isTrue();
    assertThat(n.heartbeat()).isEqualTo(T0.plusSeconds(5));
    assertThat(n.flows())
        .containsExactly(
            rich("a.yaml"),
            new FlowAnnouncement("b.yaml", "B", "", "", "", null, "1.0.0", List.of()));

    store.connect(a, "http://alpha:3371", List.of(), List.of(rich("c.yaml")), T0.plusSeconds(9));
    n = loaded(a);
    assertThat(n.url()).isEqualTo("http://alpha:3371");
    assertThat(n.flows()).extracting(FlowAnnouncement::path).containsExactly("c.yaml");
  }

  @Test
  void statusIsSavedInBatchesAndUnknownNodesAreSkipped() {
    String a = name("alpha");
    String b = name("beta");
    store.register(a, T0);
    store.register(b, T0);
    store.saveStatus(
        List.of(
            new NodeStatus(
                a,
                true,
                T0.plusSeconds(30),
                Map.of("load", 0.25, "workers", 3.0),
                Map.of("a.yaml", new FlowUsage(12, 11.5)),
                0.75,
                12.5),
            new NodeStatus(b, false, null, Map.of(), Map.of(), null, null),
            new NodeStatus(name("ghost"), true, T0, Map.of(), Map.of(), null, null)));
    StoredNode n = loaded(a);
    assertThat(n.connected()).isTrue();
    assertThat(n.heartbeat()).isEqualTo(T0.plusSeconds(30));
    assertThat(n.health()).isEqualTo(Map.of("load", 0.25, "workers", 3.0));
    assertThat(n.usage()).isEqualTo(Map.of("a.yaml", new FlowUsage(12, 11.5)));
    assertThat(n.availability()).isEqualTo(0.75);
    assertThat(n.latency()).isEqualTo(12.5);
    assertThat(loaded(b).availability()).isNull();
    assertThat(loaded(name("ghost"))).isNull();
  }

  @Test
  void constraintsOnNodesAndFlowsRoundTripAndNoneRemovesThem() {
    String a = name("alpha");
    store.register(a, T0);
    store.constrainNode(a, new Constraints(List.of("gpu"), true, "rack 4"));
    store.constrainFlow(a, "a.yaml", new Constraints(List.of(), false, null));
    store.constrainFlow(a, "b.yaml", new Constraints(null, true, "later"));
    StoredNode n = loaded(a);
    assertThat(n.constraints()).isEqualTo(new Constraints(List.of("gpu"), true, "rack 4"));
    assertThat(n.flowConstraints())
        .isEqualTo(
            Map.of(
                "a.yaml", new Constraints(List.of(), false, null),
                "b.yaml", new Constraints(null, true, "later")));
    assertThat(n.flowConstraints().get("a.yaml").tags())
        .as("an empty list is not 'unset'")
        .isNotNull();

    store.constrainNode(a, Constraints.NONE);
    store.constrainFlow(a, "b.yaml", Constraints.NONE);
    n = loaded(a);
    assertThat(n.constraints()).isEqualTo(Constraints.NONE);
    assertThat(n.flowConstraints()).containsOnlyKeys("a.yaml");
  }

  @Test
  void unregisteringRemovesEverything() {
    String a = name("alpha");
    store.register(a, T0);
    store.connect(a, "http://a:1", List.of(), List.of(rich("a.yaml")), T0);
    store.constrainFlow(a, "a.yaml", new Constraints(null, true, null));
    store.addSamples(List.of(new HealthSample(a, T0, true, Map.of(), null, null)));
    assertThat(store.unregister(a)).isTrue();
    assertThat(store.unregister(a)).isFalse();
    assertThat(loaded(a)).isNull();
    store.register(a, T0);
    StoredNode again = loaded(a);
    assertThat(again.flows()).isEmpty();
    assertThat(again.flowConstraints()).isEmpty();
    assertThat(store.history(a, Instant.EPOCH, T0.plusSeconds(1), 10)).isEmpty();
  }

  @Test
  void healthHistoryIsReadByRangeAndPruned() {
    String a = name("alpha");
    store.register(a, T0);
    for (int m = 0; m < 10; m++) {
      store.addSamples(
          List.of(
              new HealthSample(
                  a,
                  T0.plus(Duration.ofMinutes(m)),
                  m % 2 == 0,
                  Map.of("load", m / 10.0),
                  m == 0 ? null : 1.0,
                  5.0)));
    }
    store.addSamples(
        List.of(
            new HealthSample(a, T0, false, Map.of(), null, null),
            new HealthSample(name("ghost"), T0, true, Map.of(), null, null)));

    List<HealthSample> all = store.history(a, T0, T0.plus(Duration.ofMinutes(10)), 100);
    assertThat(all).hasSize(10);
    assertThat(all.get(0))
        .as("a second sample at the same time is ignored")
        .isEqualTo(new HealthSample(a, T0, true, Map.of("load", 0.0), null, 5.0));
    assertThat(
            store.history(a, T0.plus(Duration.ofMinutes(3)), T0.plus(Duration.ofMinutes(6)), 100))
        .extracting(HealthSample::at)
        .containsExactly(
            T0.plus(Duration.ofMinutes(3)),
            T0.plus(Duration.ofMinutes(4)),
            T0.plus(Duration.ofMinutes(5)));
    assertThat(store.history(a, T0, T0.plus(Duration.ofHours(1)), 2)).hasSize(2);
    assertThat(store.history(name("ghost"), T0, T0.plusSeconds(1), 10)).isEmpty();

    assertThat(store.pruneHistory(T0.plus(Duration.ofMinutes(4)))).isGreaterThanOrEqualTo(4);
    assertThat(store.history(a, Instant.EPOCH, T0.plus(Duration.ofHours(1)), 100)).hasSize(6);
  }

  @Test
  void aPeersNodesAreReplacedAsAWholeAndNeverOverwriteLocalOnes() {
    String peer = name("peer");
    String local = name("local");
    String r1 = name("r1");
    String r2 = name("r2");
    store.register(local, T0);
    StoredNode fromPeer =
        new StoredNode(
            r1,
            "http://r1:1",
            T0,
            true,
            T0,
            Map.of(),
            Map.of(),
            0.5,
            null,
            List.of("x"),
            null,
            "eu",
            null,
            List.of(rich("a.yaml")),
            Map.of(),
            List.of("eu", peer));
    StoredNode clash =
        new StoredNode(
            local,
            "http://evil:1",
            T0,
            true,
            T0,
            Map.of(),
            Map.of(),
            null,
            null,
            List.of(),
            null,
            "eu",
            null,
            List.of(),
            Map.of(),
            null);
    store.replacePeer(peer, List.of(fromPeer, clash));
    assertThat(loaded(r1).via()).isEqualTo(peer);
    assertThat(loaded(r1).origin()).isEqualTo("eu");
    assertThat(loaded(r1).flows()).hasSize(1);
    assertThat(loaded(r1).path()).containsExactly("eu", peer);
    assertThat(loaded(local).path()).isEmpty();
    assertThat(loaded(local).url()).isNull();

    store.replacePeer(
        peer,
        List.of(
            new StoredNode(
                r2,
                "http://r2:1",
                T0,
                true,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                "eu",
                null,
                null,
                null,
                null)));
    assertThat(loaded(r1)).isNull();
    assertThat(loaded(r2).via()).isEqualTo(peer);

    store.register(r2, T0.plusSeconds(1));
    assertThat(loaded(r2).via()).as("registering here takes the name over").isNull();
    assertThat(loaded(r2).registered()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void everythingSurvivesAReopen() {
    String a = name("alpha");
    store.register(a, T0);
    store.connect(a, "http://alpha:3370", List.of("eu"), List.of(rich("a.yaml")), T0);
    store.constrainFlow(a, "a.yaml", new Constraints(List.of("x"), true, null));
    store.saveStatus(
        List.of(
            new NodeStatus(a, true, T0.plusSeconds(3), Map.of("load", 1.0), Map.of(), 1.0, 2.0)));
    StoredNode before = loaded(a);
    reopen();
    assertThat(loaded(a)).isEqualTo(before);
  }

  @Test
  void peersAreStoredReplacedAndRemoved() {
    String eu = name("eu");
    String lab = name("lab");
    store.savePeer(new Peer(eu, "http://eu:3371/", Peer.Role.PROVIDER, T0));
    store.savePeer(new Peer(lab, null, Peer.Role.CONTRIBUTOR, T0));
    store.savePeer(new Peer(eu, "http://eu2:3371", Peer.Role.CONSUMER, T0.plusSeconds(1)));
    reopen();
    assertThat(store.peers())
        .filteredOn(p -> p.name().equals(eu) || p.name().equals(lab))
        .containsExactly(
            new Peer(eu, "http://eu2:3371", Peer.Role.CONSUMER, T0.plusSeconds(1)),
            new Peer(lab, null, Peer.Role.CONTRIBUTOR, T0));
    store.replacePeer(
        eu,
        List.of(
            new StoredNode(
                name("from-eu"),
                "http://x:1",
                T0,
                true,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                "eu",
                null,
                null,
                null,
                null)));
    assertThat(loaded(name("from-eu"))).isNotNull();
    assertThat(store.removePeer(eu)).isTrue();
    assertThat(loaded(name("from-eu"))).as("a peer's nodes go with it").isNull();
    assertThat(store.removePeer(eu)).isFalse();
    assertThat(store.peers()).extracting(Peer::name).doesNotContain(eu).contains(lab);
  }
}
