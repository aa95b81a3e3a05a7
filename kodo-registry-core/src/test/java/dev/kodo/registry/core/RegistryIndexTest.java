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
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RegistryIndexTest {
  private final MutableClock clock = new MutableClock(T0);
  private RegistryIndex index;

  @BeforeEach
  void createIndex() {
    index = RegistryIndex.create(clock, Duration.ofSeconds(300));
  }

  private AnnouncementResult connect(String node, FlowAnnouncement... flows) {
    return index.connect(
        new Connect(node, "http://" + node + ".local:3370/", List.of("eu"), List.of(flows)));
  }

  private List<String> flowPaths(ListRequest r) {
    return index.flows(r).items().stream().map(f -> f.node() + "/" + f.path()).toList();
  }

  private static ListRequest query(String query) {
    return ListRequest.of(null, query, null, 0, 100);
  }

  @Nested
  class Lifecycle {
    @Test
    void aRegisteredNodeIsOfflineUntilItConnects() {
      RegistryNode r = index.register("alpha");
      assertThat(r.connected()).isFalse();
      assertThat(r.online()).isFalse();
      assertThat(r.registered()).isEqualTo(T0);
      assertThat(r.url()).isNull();

      AnnouncementResult a = connect("alpha", flow("a.yaml"), flow("b.yaml", "B", "nope"));
      assertThat(a.acceptedPaths()).containsExactly("a.yaml");
      assertThat(a.rejected()).extracting(Rejection::field).containsExactly("release");

      RegistryNode n = index.node("alpha", false).orElseThrow();
      assertThat(n.online()).isTrue();
      assertThat(n.url()).as("trailing slash dropped").isEqualTo("http://alpha.local:3370");
      assertThat(n.heartbeat()).isEqualTo(T0);
      assertThat(n.flows()).isEqualTo(1);
    }

    @Test
    void anUnregisteredNodeCannotConnectOrHeartbeat() {
      assertThatThrownBy(() -> connect("ghost", flow("a.yaml")))
          .isInstanceOfSatisfying(
              UnknownNodeException.class, e -> assertThat(e.node()).isEqualTo("ghost"))
          .hasMessageContaining("node 'ghost' is not registered");
      assertThatThrownBy(() -> index.heartbeat(new Heartbeat("ghost", Map.of())))
          .isInstanceOf(UnknownNodeException.class);
      assertThatThrownBy(() -> index.disconnect("ghost")).isInstanceOf(UnknownNodeException.class);
      assertThat(index.flows(ListRequest.all()).total()).isZero();
    }

    @Test
    void aNodeGoesOfflineWhenItsHeartbeatIsOlderThanTheTimeout() {
      index.register("alpha");
      connect("alpha", flow("a.yaml"));
      clock.advance(Duration.ofSeconds(200));
      assertThat(index.heartbeat(new Heartbeat("alpha", Map.of("load", 0.5)))).isTrue();
      clock.advance(Duration.ofSeconds(300));
      assertThat(index.node("alpha", false).orElseThrow().online()).isTrue();
      assertThat(index.flow("alpha", "a.yaml", false).orElseThrow().online()).isTrue();
      clock.advance(Duration.ofMillis(1));
      assertThat(index.node("alpha", false).orElseThrow().online()).isFalse();
      assertThat(index.flow("alpha", "a.yaml", false).orElseThrow().online()).isFalse();
      assertThat(index.flows(query("online")).filtered()).isZero();

      index.heartbeat(new Heartbeat("alpha", Map.of()));
      assertThat(index.node("alpha", false).orElseThrow().online()).isTrue();
    }

    @Test
    void aDisconnectedNodeStaysOfflineEvenIfAHeartbeatArrivesLate() {
      index.register("alpha");
      connect("alpha", flow("a.yaml"));
      assertThat(index.disconnect("alpha").online()).isFalse();
      assertThat(index.heartbeat(new Heartbeat("alpha", Map.of()))).isFalse();
      assertThat(index.node("alpha", false).orElseThrow().online()).isFalse();
      assertThat(index.flows(ListRequest.all()).total())
          .as("its flows stay listed, offline")
          .isEqualTo(1);
      connect("alpha", flow("a.yaml"));
      assertThat(index.node("alpha", false).orElseThrow().online()).isTrue();
    }

    @Test
    void aConnectReplacesWhatTheNodeAnnouncedBefore() {
      index.register("alpha");
      connect("alpha", flow("a.yaml"), flow("b.yaml"));
      connect("alpha", flow("b.yaml", "B2", "2.0.0"), flow("c.yaml"));
      assertThat(flowPaths(ListRequest.all())).containsExactly("alpha/b.yaml", "alpha/c.yaml");
      assertThat(index.flow("alpha", "b.yaml", false).orElseThrow().release()).isEqualTo("2.0.0");
      assertThat(index.flow("alpha", "a.yaml", false)).isEmpty();
    }

    @Test
    void unregisteringRemovesTheNodeItsFlowsAndItsConstraints() {
      index.register("alpha");
      connect("alpha", flow("a.yaml"));
      index.constrainNode("alpha", new Constraints(List.of("x"), true, "n"));
      assertThat(index.unregister("alpha")).isTrue();
      assertThat(index.unregister("alpha")).isFalse();
      assertThat(index.flows(ListRequest.all().includingHidden(true)).total()).isZero();
      assertThat(index.register("alpha").constraints()).isEqualTo(Constraints.NONE);
    }

    @Test
    void registeringIsIdempotentAndChecksTheName() {
      index.register("alpha");
      clock.advance(Duration.ofMinutes(1));
      assertThat(index.register("alpha").registered()).isEqualTo(T0);
      assertThatThrownBy(() -> index.register("bad name"))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.parameter()).isEqualTo("node"))
          .hasMessageContaining("'bad name' is not a valid node name");
      assertThatThrownBy(() -> index.register("../etc"))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void heartbeatsCarryHealthAndUsage() {
      index.register("alpha");
      connect("alpha", flow("a.yaml"), flow("b.yaml"));
      index.heartbeat(
          new Heartbeat("alpha", Map.of("Load", 0.7), Map.of("a.yaml", new FlowUsage(30, 28))));
      assertThat(index.node("alpha", false).orElseThrow().health()).containsEntry("load", 0.7);
      assertThat(index.flow("alpha", "a.yaml", false).orElseThrow().usage())
          .isEqualTo(new FlowUsage(30, 28));
      assertThat(index.flow("alpha", "b.yaml", false).orElseThrow().usage())
          .isEqualTo(FlowUsage.NONE);
      assertThat(flowPaths(query("runs_started > 10"))).containsExactly("alpha/a.yaml");
      assertThat(index.nodes(query("health.load > 0.5")).filtered()).isEqualTo(1);
    }

    @Test
    void probesMakeAvailabilityAndLatency() {
      index.register("alpha");
      connect("alpha", flow("a.yaml"));
      assertThat(index.node("alpha", false).orElseThrow().availability()).isNull();
      index.probe("alpha", true, Duration.ofMillis(10));
      index.probe("alpha", true, Duration.ofMillis(30));
      index.probe("alpha", false, null);
      RegistryNode r = index.probe("alpha", true, Duration.ofMillis(20));
      assertThat(r.availability()).isEqualTo(0.75);
      assertThat(r.latency()).isEqualTo(20.0);
      for (int i = 0; i < 20; i++) index.probe("alpha", true, Duration.ofMillis(5));
      assertThat(index.node("alpha", false).orElseThrow().availability())
          .as("only the last 20 count")
          .isEqualTo(1.0);
      assertThat(index.flow("alpha", "a.yaml", false).orElseThrow().availability()).isEqualTo(1.0);
    }

    @Test
    void staleNodesAreThoseSilentSinceBefore() {
      index.register("quiet");
      index.register("alpha");
      connect("alpha");
      clock.advance(Duration.ofHours(2));
      index.heartbeat(new Heartbeat("alpha", Map.of()));
      assertThat(index.stale(clock.instant().minus(Duration.ofHours(1)))).containsExactly("quiet");
      assertThat(index.counts()).isEqualTo(new RegistryIndex.Counts(2, 1, 0));
    }
  }

  @Nested
  class Constraints_ {
    @BeforeEach
    void twoNodes() {
      index.register("alpha");
      index.register("beta");
      connect(
          "alpha",
          flow("a.yaml", "Market report", "1.0.0", "finance"),
          flow("b.yaml", "Planner", "1.0.0", "plans"));
      connect("beta", flow("c.yaml", "Summariser", "1.0.0"));
    }

    @Test
    void theAdminsTagsWinOverTheAnnouncedOnes() {
      Constraints c = new Constraints(List.of("reviewed", "finance"), false, "checked by Bo");
      RegistryFlow f = index.constrainFlow("alpha", "a.yaml", c).orElseThrow();
      assertThat(f.tags()).containsExactly("reviewed", "finance");
      assertThat(f.announcedTags()).containsExactly("finance");
      assertThat(f.notes()).isEqualTo("checked by Bo");
      assertThat(flowPaths(query("tags contains \"reviewed\""))).containsExactly("alpha/a.yaml");

      RegistryNode n = index.constrainNode("alpha", new Constraints(List.of("gpu"), false, null));
      assertThat(n.tags()).containsExactly("gpu");
      assertThat(n.announcedTags()).containsExactly("eu");
      assertThat(index.flow("alpha", "b.yaml", false).orElseThrow().nodeTags())
          .containsExactly("gpu");
      assertThat(flowPaths(query("node_tags = \"gpu\"")))
          .containsExactly("alpha/a.yaml", "alpha/b.yaml");
    }

    @Test
    void anEmptyTagListHidesTheAnnouncedTagsAndNoneRestoresThem() {
      assertThat(
              index
                  .constrainFlow("alpha", "a.yaml", new Constraints(List.of(), false, null))
                  .orElseThrow()
                  .tags())
          .isEmpty();
      assertThat(index.constrainFlow("alpha", "a.yaml", Constraints.NONE).orElseThrow().tags())
          .containsExactly("finance");
    }

    @Test
    void hiddenFlowsAndNodesAreListedOnlyWhenAskedFor() {
      index.constrainFlow("alpha", "a.yaml", new Constraints(null, true, null));
      index.constrainNode("beta", new Constraints(null, true, null));

      Page<RegistryFlow> visible = index.flows(ListRequest.all());
      assertThat(visible.items()).extracting(RegistryFlow::path).containsExactly("b.yaml");
      assertThat(visible.total()).as("hidden flows are not counted either").isEqualTo(1);
      Page<RegistryFlow> all = index.flows(ListRequest.all().includingHidden(true));
      assertThat(all.items())
          .extracting(RegistryFlow::path)
          .containsExactly("a.yaml", "b.yaml", "c.yaml");
      assertThat(all.items()).extracting(RegistryFlow::hidden).containsExactly(true, false, true);

      assertThat(index.flow("alpha", "a.yaml", false)).isEmpty();
      assertThat(index.flow("beta", "c.yaml", false)).as("a hidden node hides its flows").isEmpty();
      assertThat(index.flow("beta", "c.yaml", true)).isPresent();
      assertThat(index.node("beta", false)).isEmpty();
      assertThat(index.nodes(ListRequest.all()).items())
          .extracting(RegistryNode::name)
          .containsExactly("alpha");
      assertThat(index.nodes(ListRequest.all().includingHidden(true)).total()).isEqualTo(2);
      assertThat(
              index
                  .flows(ListRequest.of(null, "hidden", null, 0, 10).includingHidden(true))
                  .filtered())
          .isEqualTo(2);
    }

    @Test
    void constraintsOnAFlowNotYetAnnouncedApplyWhenItIs() {
      assertThat(
              index.constrainFlow(
                  "beta", "later.yaml", new Constraints(List.of("beta-test"), true, null)))
          .isEmpty();
      connect("beta", flow("c.yaml"), flow("later.yaml"));
      RegistryFlow f = index.flow("beta", "later.yaml", true).orElseThrow();
      assertThat(f.hidden()).isTrue();
      assertThat(f.tags()).containsExactly("beta-test");
    }

    @Test
    void constraintsNeedARegisteredNode() {
      assertThatThrownBy(() -> index.constrainNode("ghost", Constraints.NONE))
          .isInstanceOf(UnknownNodeException.class);
      assertThatThrownBy(() -> index.constrainFlow("ghost", "a", Constraints.NONE))
          .isInstanceOf(UnknownNodeException.class);
      assertThatThrownBy(() -> Checks.constraints(new Constraints(List.of("a\tb"), false, null)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("tags[0]: control character U+0009 at character 2 is not allowed");
    }
  }

  @Nested
  class Lists_ {
    @BeforeEach
    void someFlows() {
      for (String n : List.of("gamma", "alpha", "beta")) {
        index.register(n);
      }
      connect(
          "alpha",
          flow("report.yaml", "Market Report", "1.10.0", "finance"),
          flow("plan.yaml", "Plan", "1.9.0", "planning"));
      connect("beta", flow("digest.yaml", "Daily digest", "2.0.0", "news", "finance"));
      connect("gamma", flow("zeta.yaml", "Zeta", "0.1.0"));
      index.probe("alpha", true, Duration.ofMillis(5));
      index.probe("beta", false, null);
    }

    @Test
    void theDefaultOrderIsByNodeThenPath() {
      assertThat(flowPaths(ListRequest.all()))
          .containsExactly(
              "alpha/plan.yaml", "alpha/report.yaml", "beta/digest.yaml", "gamma/zeta.yaml");
      assertThat(index.nodes(ListRequest.all()).items())
          .extracting(RegistryNode::name)
          .containsExactly("alpha", "beta", "gamma");
    }

    @Test
    void pagesCountTotalAndFiltered() {
      Page<RegistryFlow> p =
          index.flows(ListRequest.of(null, "tags contains \"finance\"", null, 0, 1));
      assertThat(p.total()).isEqualTo(4);
      assertThat(p.filtered()).isEqualTo(2);
      assertThat(p.p()).isZero();
      assertThat(p.pp()).isEqualTo(1);
      assertThat(p.items()).extracting(RegistryFlow::path).containsExactly("report.yaml");
      assertThat(index.flows(ListRequest.of(null, "tags contains \"finance\"", null, 1, 1)).items())
          .extracting(RegistryFlow::path)
          .containsExactly("digest.yaml");
      assertThat(index.flows(ListRequest.of(null, null, null, 9, 1)).items()).isEmpty();
      assertThat(index.flows(ListRequest.of(null, null, "name", 9, 1)).items()).isEmpty();
    }

    @Test
    void searchIsAGlobOverTheTextFields() {
      assertThat(flowPaths(ListRequest.of("report", null, null, 0, 10)))
          .containsExactly("alpha/report.yaml");
      assertThat(flowPaths(ListRequest.of("FINANCE", null, null, 0, 10)))
          .containsExactly("alpha/report.yaml", "beta/digest.yaml");
      assertThat(flowPaths(ListRequest.of("bet?", null, null, 0, 10)))
          .as("node name")
          .containsExactly("beta/digest.yaml");
      assertThat(flowPaths(ListRequest.of("ada", null, null, 0, 10))).as("author").hasSize(4);
      assertThat(flowPaths(ListRequest.of("about d*", null, null, 0, 10)))
          .as("description")
          .containsExactly("beta/digest.yaml");
      assertThat(flowPaths(ListRequest.of("market", null, null, 0, 10)))
          .containsExactly("alpha/report.yaml");
      assertThat(flowPaths(ListRequest.of("market*", null, null, 0, 10)))
          .containsExactly("alpha/report.yaml");
      assertThat(flowPaths(ListRequest.of("report*", null, null, 0, 10))).as("anchored").isEmpty();
      assertThat(flowPaths(ListRequest.of("eport", null, "name", 0, 10)))
          .containsExactly("alpha/report.yaml");
      assertThat(index.nodes(ListRequest.of("gam", null, null, 0, 10)).items())
          .extracting(RegistryNode::name)
          .containsExactly("gamma");
      assertThat(index.nodes(ListRequest.of("*.local:3370", null, null, 0, 10)).filtered())
          .as("node url")
          .isEqualTo(3);
    }

    @Test
    void searchAndQueryCombine() {
      assertThat(
              flowPaths(
                  ListRequest.of(
                      "finance", "availability > 0.9 and tags contains \"finance\"", null, 0, 10)))
          .containsExactly("alpha/report.yaml");
    }

    @Test
    void sortingByOneOrMoreFields() {
      assertThat(flowPaths(ListRequest.of(null, null, "name desc", 0, 10)))
          .containsExactly(
              "gamma/zeta.yaml", "alpha/plan.yaml", "alpha/report.yaml", "beta/digest.yaml");
      assertThat(flowPaths(ListRequest.of(null, null, "release", 0, 10)))
          .as("semver order")
          .containsExactly(
              "gamma/zeta.yaml", "alpha/plan.yaml", "alpha/report.yaml", "beta/digest.yaml");
      assertThat(flowPaths(ListRequest.of(null, null, "availability desc, name", 0, 10)))
          .as("absent last")
          .containsExactly(
              "alpha/report.yaml", "alpha/plan.yaml", "beta/digest.yaml", "gamma/zeta.yaml");
      assertThat(flowPaths(ListRequest.of(null, null, "availability asc, name desc", 0, 10)))
          .as("absent last")
          .containsExactly(
              "beta/digest.yaml", "alpha/plan.yaml", "alpha/report.yaml", "gamma/zeta.yaml");
      assertThat(flowPaths(ListRequest.of(null, null, "NODE DESC", 0, 10)))
          .as("ties keep the default order")
          .containsExactly(
              "gamma/zeta.yaml", "beta/digest.yaml", "alpha/plan.yaml", "alpha/report.yaml");
      assertThat(index.nodes(ListRequest.of(null, null, "flows desc", 0, 10)).items())
          .extracting(RegistryNode::name)
          .containsExactly("alpha", "beta", "gamma");
    }

    @Test
    void badSortKeysAreNamed() {
      assertThatThrownBy(() -> index.flows(ListRequest.of(null, null, "colour", 0, 10)))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.parameter()).isEqualTo("by"))
          .hasMessageStartingWith(
              "by: cannot sort flows by 'colour'; sortable fields: author, availability,");
      assertThatThrownBy(() -> index.flows(ListRequest.of(null, null, "nmae asc", 0, 10)))
          .hasMessageStartingWith("by: cannot sort flows by 'nmae' (did you mean 'name'?)");
      assertThatThrownBy(() -> index.flows(ListRequest.of(null, null, "tags", 0, 10)))
          .hasMessageStartingWith("by: cannot sort flows by 'tags'; sortable fields:");
      assertThatThrownBy(() -> index.flows(ListRequest.of(null, null, "name up", 0, 10)))
          .hasMessage("by: the direction after 'name' is asc or desc, not 'up'");
      assertThatThrownBy(() -> index.flows(ListRequest.of(null, null, "name asc desc", 0, 10)))
          .hasMessage("by: expected 'field asc|desc', not 'name asc desc'");
      assertThatThrownBy(() -> index.flows(ListRequest.of(null, null, "name,,path", 0, 10)))
          .hasMessage("by: expected 'field asc|desc' between the commas of 'name,,path'");
      assertThatThrownBy(() -> index.nodes(ListRequest.of(null, null, "release", 0, 10)))
          .hasMessageStartingWith("by: cannot sort nodes by 'release'");
    }

    @Test
    void badPagesAndQueriesAreNamed() {
      assertThatThrownBy(() -> ListRequest.of(null, null, null, -1, 10))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("p: the page number must be 0 or more, not -1");
      assertThatThrownBy(() -> ListRequest.of(null, null, null, 0, 1001))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("pp: items per page must be between 1 and 1000, not 1001");
      assertThatThrownBy(() -> index.flows(query("availability > \"x\"")))
          .isInstanceOfSatisfying(
              QuerySyntaxException.class, e -> assertThat(e.position()).isEqualTo(16));
    }
  }

  @Test
  void anySortAndPageAgreesWithAFullSort() {
    Random random = new Random(7);
    for (int n = 0; n < 50; n++) {
      String node = "node-" + n;
      index.register(node);
      List<FlowAnnouncement> flows = new ArrayList<>();
      for (int f = 0; f < 100; f++) {
        flows.add(
            new FlowAnnouncement(
                "f" + f + ".yaml",
                "Flow " + random.nextInt(300),
                null,
                "author" + random.nextInt(5),
                null,
                T0.plusSeconds(random.nextInt(1000)),
                random.nextInt(3) + "." + random.nextInt(12) + ".0",
                List.of()));
      }
      index.connect(new Connect(node, "http://" + node + ":1", null, flows));
      if (n % 3 > 0) index.probe(node, n % 3 == 1, Duration.ofMillis(n));
    }
    List<RegistryFlow> all = index.flows(ListRequest.of(null, null, null, 0, 1000)).items();
    assertThat(index.flows(ListRequest.of(null, null, null, 0, 1)).total()).isEqualTo(5000);

    Comparator<RegistryFlow> byAuthorThenReleaseDesc =
        Comparator.comparing(RegistryFlow::author)
            .thenComparing((a, b) -> compareSemver(b.release(), a.release()));
    List<RegistryFlow> expected = new ArrayList<>();
    for (int p = 0; p < 5; p++)
      expected.addAll(index.flows(ListRequest.of(null, null, null, p, 1000)).items());
    expected.sort(byAuthorThenReleaseDesc); // stable: ties keep the default order
    for (int[] pageAndSize :
        new int[][] {{0, 10}, {3, 10}, {0, 1000}, {4, 1000}, {2, 900}, {0, 1}, {49, 100}}) {
      int p = pageAndSize[0];
      int pp = pageAndSize[1];
      List<RegistryFlow> page =
          index.flows(ListRequest.of(null, null, "author, release desc", p, pp)).items();
      List<RegistryFlow> want =
          expected.subList(Math.min(p * pp, 5000), Math.min(p * pp + pp, 5000));
      assertThat(page)
          .as("page %d of %d", p, pp)
          .extracting(f -> f.node() + "/" + f.path())
          .containsExactlyElementsOf(want.stream().map(f -> f.node() + "/" + f.path()).toList());
    }
    assertThat(all).hasSize(1000);
  }

  @Test
  void nodesStayInNameOrderThroughRegistrationsInAnyOrder() {
    Random random = new Random(5);
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < 500; i++) {
      String name = "n" + random.nextInt(300);
      if (random.nextInt(4) == 0) {
        index.unregister(name);
        expected.remove(name);
      } else {
        index.register(name);
        index.connect(new Connect(name, "http://" + name + ":1", null, List.of(flow("a.yaml"))));
        expected.add(name);
      }
    }
    assertThat(index.nodes(ListRequest.of(null, null, null, 0, 1000)).items())
        .extracting(RegistryNode::name)
        .containsExactlyElementsOf(expected);
    assertThat(index.flows(ListRequest.of(null, null, null, 0, 1000)).items())
        .extracting(RegistryFlow::node)
        .containsExactlyElementsOf(expected);
    assertThat(index.flows(ListRequest.of("n1*", null, null, 0, 1000)).items())
        .extracting(RegistryFlow::node)
        .containsExactlyElementsOf(expected.stream().filter(n -> n.startsWith("n1")).toList());
  }

  private static int compareSemver(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < 3; i++) {
      int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (c != 0) return c;
    }
    return 0;
  }

  @Nested
  class Peers {
    private StoredNode peerNode(String name, String origin, String... paths) {
      List<FlowAnnouncement> flows = new ArrayList<>();
      for (String p : paths) flows.add(flow(p));
      return new StoredNode(
          name,
          "http://" + name + ":3370",
          T0,
          true,
          clock.instant(),
          Map.of(),
          Map.of(),
          null,
          null,
          List.of(),
          null,
          origin,
          null,
          flows,
          Map.of(),
          null);
    }

    @Test
    void aPeersNodesAreReplacedAsAWholeAndLocalNodesWin() {
      index.register("alpha");
      connect("alpha", flow("mine.yaml"));
      List<String> taken =
          index.replacePeer(
              "eu", List.of(peerNode("alpha", "eu"), peerNode("remote", "eu", "r1", "r2")));
      assertThat(taken).containsExactly("remote");
      RegistryFlow r = index.flow("remote", "r1", false).orElseThrow();
      assertThat(r.origin()).isEqualTo("eu");
      assertThat(r.online()).isTrue();
      assertThat(index.flows(query("origin = \"eu\"")).filtered()).isEqualTo(2);

      index.replacePeer("eu", List.of(peerNode("remote", "eu", "r2")));
      assertThat(flowPaths(ListRequest.all())).containsExactly("alpha/mine.yaml", "remote/r2");
      index.replacePeer("eu", List.of());
      assertThat(flowPaths(ListRequest.all())).containsExactly("alpha/mine.yaml");
    }

    @Test
    void anotherPeersNodeOfTheSameNameIsKept() {
      index.replacePeer("eu", List.of(peerNode("remote", "eu", "a")));
      assertThat(index.replacePeer("us", List.of(peerNode("remote", "us", "b")))).isEmpty();
      assertThat(index.flow("remote", "a", false)).isPresent();
    }

    @Test
    void aPeersNodeCannotBeTalkedToAsALocalOneUntilRegisteredHere() {
      index.replacePeer("eu", List.of(peerNode("remote", "eu", "a")));
      assertThatThrownBy(() -> index.heartbeat(new Heartbeat("remote", Map.of())))
          .isInstanceOf(UnknownNodeException.class);
      assertThatThrownBy(() -> connect("remote")).isInstanceOf(UnknownNodeException.class);
      assertThat(index.stale(Instant.MAX)).as("peers' nodes are never stale here").isEmpty();
      index.register("remote");
      assertThat(index.flow("remote", "a", false))
          .as("registering here replaces the peer's")
          .isEmpty();
      connect("remote", flow("b"));
      assertThat(index.node("remote", false).orElseThrow().origin()).isNull();
    }
  }

  @Test
  void restoringReplacesEverything() {
    index.register("alpha");
    StoredNode stored =
        new StoredNode(
            "beta",
            "http://beta:1",
            T0,
            true,
            T0,
            Map.of("load", 1.0),
            Map.of("a", new FlowUsage(3, 2)),
            0.5,
            12.0,
            List.of("eu"),
            new Constraints(List.of("x"), false, "hi"),
            null,
            null,
            List.of(flow("a"), flow("b", "B", "bad")),
            Map.of("a", new Constraints(null, true, null)),
            null);
    index.restore(List.of(stored));
    assertThat(index.node("alpha", true)).isEmpty();
    RegistryNode beta = index.node("beta", false).orElseThrow();
    assertThat(beta.tags()).containsExactly("x");
    assertThat(beta.availability()).isEqualTo(0.5);
    assertThat(beta.flows()).as("an invalid stored flow is dropped").isEqualTo(1);
    assertThat(index.flow("beta", "a", false)).as("hidden").isEmpty();
    assertThat(index.flow("beta", "a", true).orElseThrow().usage()).isEqualTo(new FlowUsage(3, 2));
    assertThat(index.stored("beta").orElseThrow().flows())
        .extracting(FlowAnnouncement::path)
        .containsExactly("a");
  }
}
