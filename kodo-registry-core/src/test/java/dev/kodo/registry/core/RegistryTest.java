package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static dev.kodo.registry.core.Fixtures.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry as index + store on SQLite: what a restart keeps, and when heartbeats reach the
 * disk.
 */
class RegistryTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private Registry registry;

  private RegistryOptions options() {
    return RegistryOptions.builder(RegistryStores.sqlite(dir))
        .name("home")
        .clock(clock)
        .heartbeatTimeout(Duration.ofSeconds(60))
        .flushInterval(Duration.ZERO)
        .staleAfter(Duration.ofDays(1))
        .historyRetention(Duration.ofHours(2))
        .build();
  }

  @BeforeEach
  void open() {
    registry = Registry.open(options());
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private void restart() {
    registry.close();
    registry = Registry.open(options());
  }

  /** What the store holds now, read by a second store on the same file. */
  private StoredNode onDisk(String node) {
    try (RegistryStore store = RegistryStores.open(RegistryStores.sqlite(dir))) {
      return store.load().stream().filter(n -> n.name().equals(node)).findFirst().orElse(null);
    }
  }

  @Test
  void aRestartedRegistryAnswersFromWhatItKnew() {
    registry.register("alpha");
    registry.connect(
        new Connect(
            "alpha",
            "http://alpha:3370",
            List.of("eu"),
            List.of(flow("a.yaml", "Market report", "1.2.0", "finance"), flow("b.yaml"))));
    registry.constrainFlow("alpha", "b.yaml", new Constraints(null, true, "wip"));
    registry.constrainNode("alpha", new Constraints(List.of("gpu"), false, null));
    registry.heartbeat(
        new Heartbeat("alpha", Map.of("load", 0.5), Map.of("a.yaml", new FlowUsage(3, 2))));
    registry.probe("alpha", true, Duration.ofMillis(8));

    restart();

    RegistryNode alpha = registry.index().node("alpha", false).orElseThrow();
    assertThat(alpha.url()).isEqualTo("http://alpha:3370");
    assertThat(alpha.online()).isTrue();
    assertThat(alpha.tags()).containsExactly("gpu");
    assertThat(alpha.health()).containsEntry("load", 0.5);
    assertThat(alpha.availability()).isEqualTo(1.0);
    assertThat(registry.index().flows(ListRequest.all()).items())
        .extracting(RegistryFlow::path)
        .containsExactly("a.yaml");
    assertThat(registry.index().flow("alpha", "a.yaml", false).orElseThrow().usage())
        .isEqualTo(new FlowUsage(3, 2));
    assertThat(registry.index().flow("alpha", "b.yaml", true).orElseThrow().notes())
        .isEqualTo("wip");

    clock.advance(Duration.ofSeconds(61));
    assertThat(registry.index().node("alpha", false).orElseThrow().online())
        .as("it must heartbeat again")
        .isFalse();
  }

  @Test
  void heartbeatsReachTheStoreWhenFlushedAndChangesAtOnce() {
    registry.register("alpha");
    registry.connect(new Connect("alpha", "http://alpha:3370", null, List.of(flow("a.yaml"))));
    assertThat(onDisk("alpha").flows()).hasSize(1);
    clock.advance(Duration.ofSeconds(10));
    registry.heartbeat(new Heartbeat("alpha", Map.of("load", 0.9)));
    assertThat(onDisk("alpha").heartbeat()).isEqualTo(T0);
    registry.flush();
    assertThat(onDisk("alpha").heartbeat()).isEqualTo(T0.plusSeconds(10));
    assertThat(onDisk("alpha").health()).containsEntry("load", 0.9);

    registry.disconnect("alpha");
    assertThat(onDisk("alpha").connected()).as("a goodbye is written at once").isFalse();
  }

  @Test
  void healthIsSampledAtMostOncePerIntervalAndPruned() {
    registry.register("alpha");
    registry.connect(new Connect("alpha", "http://alpha:3370", null, List.of()));
    for (int s = 0; s < 180; s += 10) {
      registry.heartbeat(new Heartbeat("alpha", Map.of("load", s / 100.0)));
      registry.flush();
      clock.advance(Duration.ofSeconds(10));
    }
    List<HealthSample> history = registry.history("alpha", T0, clock.instant(), 100);
    assertThat(history)
        .extracting(HealthSample::at)
        .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(history).extracting(HealthSample::online).containsOnly(true);
    assertThat(history.get(1).health()).containsEntry("load", 0.6);

    clock.advance(Duration.ofHours(3));
    registry.heartbeat(new Heartbeat("alpha", Map.of()));
    registry.flush();
    assertThat(registry.history("alpha", T0, clock.instant().plusSeconds(1), 100))
        .as("older than 2 h: pruned")
        .extracting(HealthSample::at)
        .containsExactly(clock.instant());
  }

  @Test
  void closingWritesPendingHeartbeats() {
    registry.register("alpha");
    registry.connect(new Connect("alpha", "http://alpha:3370", null, List.of()));
    clock.advance(Duration.ofSeconds(5));
    registry.heartbeat(new Heartbeat("alpha", Map.of("load", 0.1)));
    registry.close();
    assertThat(onDisk("alpha").heartbeat()).isEqualTo(T0.plusSeconds(5));
    registry = Registry.open(options());
  }

  @Test
  void aNodeNotRegisteredIsRefusedAndNothingIsStored() {
    assertThatThrownBy(
            () -> registry.connect(new Connect("ghost", "http://ghost:1", null, List.of())))
        .isInstanceOf(UnknownNodeException.class);
    assertThatThrownBy(() -> registry.constrainFlow("ghost", "a", Constraints.NONE))
        .isInstanceOf(UnknownNodeException.class);
    assertThat(onDisk("ghost")).isNull();
  }

  @Test
  void staleNodesAreRemovedWithEverythingTheyAnnounced() {
    registry.register("quiet");
    registry.register("alpha");
    registry.connect(new Connect("quiet", "http://quiet:1", null, List.of(flow("q.yaml"))));
    clock.advance(Duration.ofDays(2));
    registry.connect(new Connect("alpha", "http://alpha:1", null, List.of()));
    assertThat(registry.stale()).containsExactly("quiet");
    assertThat(registry.removeStale()).containsExactly("quiet");
    assertThat(registry.index().flows(ListRequest.all()).total()).isZero();
    restart();
    assertThat(registry.index().node("quiet", true)).isEmpty();
  }

  @Test
  void federatedRecordsKeepTheirOriginNeverLoopAndSurviveARestart() {
    StoredNode fromEu =
        new StoredNode(
            "remote",
            "http://remote:1",
            T0,
            true,
            T0,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(flow("r.yaml")),
            null,
            null);
    StoredNode ours =
        new StoredNode(
            "looped",
            "http://looped:1",
            T0,
            true,
            T0,
            null,
            null,
            null,
            null,
            null,
            null,
            "home",
            null,
            List.of(flow("l.yaml")),
            null,
            null);
    StoredNode viaEu =
        new StoredNode(
            "far",
            "http://far:1",
            T0,
            true,
            T0,
            null,
            null,
            null,
            null,
            null,
            null,
            "us",
            null,
            List.of(flow("f.yaml")),
            null,
            null);
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.PROVIDER, T0));
    assertThat(registry.replacePeer("eu", List.of(fromEu, ours, viaEu)))
        .containsExactly("remote", "far");
    assertThat(registry.index().flow("remote", "r.yaml", false).orElseThrow().origin())
        .isEqualTo("eu");
    assertThat(registry.index().flow("far", "f.yaml", false).orElseThrow().origin())
        .isEqualTo("us");
    restart();
    assertThat(
            registry.index().flows(ListRequest.of(null, "origin != null", null, 0, 10)).filtered())
        .isEqualTo(2);
    registry.replacePeer("eu", List.of());
    assertThat(registry.index().flows(ListRequest.all()).total()).isZero();
    restart();
    assertThat(registry.index().flows(ListRequest.all()).total()).isZero();
  }

  @Test
  void aNodeWhosePathNamesThisRegistryIsLeftOutSoRecordsCannotCircle() {
    // "far" went home → eu → us and comes back through us: taking it in again would keep it alive
    // forever.
    StoredNode circled =
        new StoredNode(
            "far",
            "http://far:1",
            T0,
            true,
            T0,
            null,
            null,
            null,
            null,
            null,
            null,
            "origin-x",
            null,
            List.of(flow("f.yaml")),
            null,
            List.of("origin-x", "home", "eu"));
    StoredNode fresh =
        new StoredNode(
            "near",
            "http://near:1",
            T0,
            true,
            T0,
            null,
            null,
            null,
            null,
            null,
            null,
            "origin-y",
            null,
            List.of(flow("n.yaml")),
            null,
            List.of("origin-y"));
    registry.addPeer(new Peer("us", null, Peer.Role.CONTRIBUTOR, T0));
    assertThat(registry.replacePeer("us", List.of(circled, fresh))).containsExactly("near");
    StoredNode near = registry.index().stored("near").orElseThrow();
    assertThat(near.path()).containsExactly("origin-y", "us");
    assertThat(near.origin()).isEqualTo("origin-y");
    assertThat(near.via()).isEqualTo("us");
    restart();
    assertThat(registry.index().stored("near").orElseThrow().path())
        .containsExactly("origin-y", "us");
  }

  @Test
  void exportShowsWhatIsVisibleWithItsOriginAndKeepsHiddenThingsAndNotesHome() {
    registry.register("alpha");
    registry.connect(
        new Connect(
            "alpha",
            "http://alpha:1",
            List.of("eu"),
            List.of(flow("a.yaml"), flow("secret.yaml"))));
    registry.constrainFlow("alpha", "secret.yaml", new Constraints(null, true, null));
    registry.constrainFlow(
        "alpha", "a.yaml", new Constraints(List.of("finance"), false, "call Bob first"));
    registry.register("hidden");
    registry.constrainNode("hidden", new Constraints(null, true, "internal"));
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.PROVIDER, T0));
    registry.replacePeer(
        "eu",
        List.of(
            new StoredNode(
                "remote",
                "http://remote:1",
                T0,
                true,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(flow("r.yaml")),
                null,
                null)));

    List<StoredNode> export = registry.export();
    assertThat(export).extracting(StoredNode::name).containsExactly("alpha", "remote");
    StoredNode alpha = export.getFirst();
    assertThat(alpha.origin()).isEqualTo(registry.name());
    assertThat(alpha.path()).isEmpty();
    assertThat(alpha.flows()).extracting(FlowAnnouncement::path).containsExactly("a.yaml");
    assertThat(alpha.flowConstraints().get("a.yaml"))
        .isEqualTo(new Constraints(List.of("finance"), false, null));
    assertThat(export.get(1).origin()).isEqualTo("eu");
    assertThat(export.get(1).path()).containsExactly("eu");
  }

  @Test
  void peersAreCheckedKeptAcrossARestartAndTakeTheirNodesAlongWhenRemoved() {
    assertThatThrownBy(
            () -> registry.addPeer(new Peer("home", "http://x:1", Peer.Role.PROVIDER, T0)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("this registry's own name");
    assertThatThrownBy(() -> new Peer("eu", null, Peer.Role.PROVIDER, T0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("url");
    assertThatThrownBy(() -> new Peer("eu", "ftp://x", Peer.Role.CONSUMER, T0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> new Peer("eu; drop table", "http://x:1", Peer.Role.PROVIDER, T0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("registry name");
    assertThatThrownBy(() -> Peer.Role.parse("master"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("provider");
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.PROVIDER, T0));
    registry.replacePeer(
        "eu",
        List.of(
            new StoredNode(
                "remote",
                "http://remote:1",
                T0,
                true,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(flow("r.yaml")),
                null,
                null)));
    restart();
    assertThat(registry.peers()).extracting(Peer::name).containsExactly("eu");
    assertThat(registry.index().node("remote", false)).isPresent();
    assertThat(registry.removePeer("eu")).isTrue();
    assertThat(registry.index().node("remote", false)).isEmpty();
    restart();
    assertThat(registry.peers()).isEmpty();
    assertThat(registry.index().node("remote", false)).isEmpty();
  }

  @Test
  void recordsFromNoPeerOrAConsumerAreNotTakenInAndTurningConsumerDropsWhatCameBefore() {
    StoredNode remote =
        new StoredNode(
            "remote",
            "http://remote:1",
            T0,
            true,
            T0,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(flow("r.yaml")),
            null,
            null);
    assertThat(registry.replacePeer("stranger", List.of(remote))).isEmpty();
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.CONSUMER, T0));
    assertThat(registry.replacePeer("eu", List.of(remote))).isEmpty();
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.PROVIDER, T0));
    assertThat(registry.replacePeer("eu", List.of(remote))).containsExactly("remote");
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.CONSUMER, T0));
    assertThat(registry.index().node("remote", true)).isEmpty();
    restart();
    assertThat(registry.index().node("remote", true)).isEmpty();
  }

  @Test
  void aPeersRecordsAreCheckedOneByOne() {
    registry.addPeer(new Peer("eu", "http://eu:3371", Peer.Role.PROVIDER, T0));
    Instant far = Instant.parse("+1000000000-12-31T23:59:59Z");
    List<StoredNode> records =
        List.of(
            new StoredNode(
                "good",
                "http://good:1",
                T0,
                true,
                T0,
                null,
                null,
                0.5,
                3.0,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            new StoredNode(
                "future",
                "http://f:1",
                far,
                true,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            new StoredNode(
                "badurl",
                "javascript:alert(1)",
                T0,
                true,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            new StoredNode(
                "share",
                "http://s:1",
                T0,
                true,
                T0,
                null,
                null,
                7.0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            new StoredNode(
                "nan",
                "http://n:1",
                T0,
                true,
                T0,
                Map.of("load", Double.NaN),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    assertThat(registry.replacePeer("eu", records)).containsExactly("good");
    assertThatThrownBy(() -> Announcements.checkPeerNode(records.get(1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("registered");
    assertThatThrownBy(() -> Announcements.checkPeerNode(records.get(2)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("url");
  }

  @Test
  void optionsAreCheckedWhenBuilt() {
    assertThatThrownBy(
            () ->
                RegistryOptions.builder(RegistryStores.sqlite(dir))
                    .heartbeatTimeout(Duration.ZERO)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heartbeat timeout must be positive, not PT0S");
    assertThatThrownBy(() -> RegistryOptions.builder(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store options cannot be null");
  }
}
