package dev.kodo.registry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Glob;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.registry.core.ListRequest;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FlowLists} answers every list exactly as {@link Lists#page} does — the same items in the
 * same order, the same totals, on every page — with its kept candidates, its per-node judgement and
 * its ranks, before the ranks are made and after; on a fleet full of ties (names, releases, times,
 * usage), hidden and offline flows, and absent values.
 */
class FlowListsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String[] NAMES = {
    "Invoice report",
    "invoice digest",
    "Triage",
    "triage",
    "Weekly summary",
    "a b",
    "Zeta",
    "report"
  };
  private static final String[] RELEASES = {
    "1.0.0", "1.0.0+build.7", "1.2.0", "0.9.1", "2.0.0-rc.1"
  };
  private static final String[] TAGS = {"finance", "llm", "gpu", "beta", "sales"};
  private static final String[] NODE_TAGS = {"eu", "us", "staging"};

  private final InMemoryIndex index =
      new InMemoryIndex(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(300));

  /** 40 nodes with 0 to 9 flows each, with hidden, disconnected and never-heard-from ones. */
  private void fleet(long seed) {
    Random r = new Random(seed);
    for (int n = 0; n < 40; n++) {
      String node = (n % 3 == 0 ? "Node-" : "node-") + (char) ('a' + r.nextInt(26)) + n;
      index.register(node);
      List<FlowAnnouncement> flows = new ArrayList<>();
      Map<String, FlowUsage> usage = new HashMap<>();
      int count = r.nextInt(10);
      for (int f = 0; f < count; f++) {
        String path = "flows/" + (char) ('a' + r.nextInt(5)) + f;
        flows.add(
            new FlowAnnouncement(
                path,
                NAMES[r.nextInt(NAMES.length)],
                r.nextBoolean() ? "Makes a report" : "Triage of invoices, weekly",
                r.nextBoolean() ? "Ann" : "Ben",
                r.nextBoolean() ? "Globex" : "Initech",
                r.nextInt(4) == 0 ? null : NOW.minusSeconds(86_400L * r.nextInt(3)),
                RELEASES[r.nextInt(RELEASES.length)],
                List.of(TAGS[r.nextInt(TAGS.length)], TAGS[r.nextInt(TAGS.length)])));
        if (r.nextBoolean()) usage.put(path, new FlowUsage(r.nextInt(3), 0));
      }
      index.connect(
          new Connect(
              node, "http://127.0.0.1:" + (3000 + n), List.of(NODE_TAGS[r.nextInt(3)]), flows));
      if (r.nextInt(4) > 0) {
        index.heartbeat(new Heartbeat(node, Map.of("load", (double) r.nextInt(3)), usage));
      }
      if (r.nextInt(8) == 0) index.disconnect(node);
      if (r.nextInt(10) == 0) index.constrainNode(node, new Constraints(null, true, "hidden node"));
      if (!flows.isEmpty() && r.nextInt(3) == 0) {
        index.constrainFlow(
            node, flows.get(0).path(), new Constraints(List.of("finance"), r.nextBoolean(), null));
      }
    }
  }

  private static final List<String> SEARCHES =
      Arrays.asList(null, "report", "*summar*", "invoice*", "a b", "node-", "nothing-like-it");
  private static final List<String> QUERIES =
      Arrays.asList(
          null,
          "online",
          "tags contains \"finance\"",
          "online and tags contains \"finance\" and release >= \"1.0.0\"",
          "online and node_tags contains \"eu\" and not tags contains \"beta\"",
          "(tags contains \"llm\" or tags contains \"gpu\") and not node_tags contains \"staging\"",
          "published >= \"2026-11-30T00:00:00Z\" or online",
          "runs_started >= 1 and health.load < 2",
          "hidden = false and release != \"1.0.0\"");
  private static final List<String> ORDERS =
      Arrays.asList(
          null,
          "name",
          "published desc",
          "release desc, name",
          "runs_started desc, name",
          "online, name desc, release",
          "node, path desc",
          "url desc, hidden",
          "health.load desc, published");

  private Page<RegistryFlow> expected(Snapshot s, ListRequest r) {
    return Lists.page(
        s.flows(),
        r,
        r.query() == null ? null : Parser.parse(r.query(), Fields.FLOWS),
        r.search() == null ? null : Glob.search(r.search()),
        Sort.parse(r.by(), Fields.FLOWS),
        eval(),
        new InMemoryIndex.FlowKind(s));
  }

  private Page<RegistryFlow> actual(Snapshot s, ListRequest r, boolean rank) {
    Sort<FlowEntry> sort = Sort.parse(r.by(), Fields.FLOWS);
    return FlowLists.page(
        s,
        r,
        r.search() == null ? null : Glob.search(r.search()),
        r.query() == null ? null : Parser.parse(r.query(), Fields.FLOWS),
        sort,
        eval(),
        (key, order) -> {
          if (rank) s.makeRanks(key, order);
        });
  }

  private Eval eval() {
    return new Eval(NOW.toEpochMilli(), 300_000);
  }

  @Test
  void everyPageIsTheSameAsAPassOverEveryFlowMakesBeforeAndAfterRanking() {
    fleet(3);
    Snapshot s = index.snapshot();
    int flows = s.flows().length;
    assertThat(flows).isGreaterThan(100);
    assertThat(s.visibleFlows().length).isLessThan(flows);
    int checked = 0;
    for (String search : SEARCHES) {
      for (String query : QUERIES) {
        for (String by : ORDERS) {
          for (boolean hidden : new boolean[] {false, true}) {
            ListRequest all = ListRequest.of(search, query, by, 0, 1000).includingHidden(hidden);
            Page<RegistryFlow> whole = expected(s, all);
            int filtered = (int) whole.filtered();
            for (int pp : new int[] {1, 7, 1000}) {
              // the first pages, the page holding the last match, the first empty one, one far off
              int last = Math.max(0, (filtered - 1) / pp);
              for (int p : new int[] {0, 1, 2, last, last + 1, 10_000}) {
                ListRequest r = ListRequest.of(search, query, by, p, pp).includingHidden(hidden);
                Page<RegistryFlow> want = expected(s, r);
                assertThat(actual(s, r, false)).as("%s, unranked", r).isEqualTo(want);
                assertThat(actual(s, r, true)).as("%s, ranking", r).isEqualTo(want);
                assertThat(actual(s, r, true)).as("%s, ranked", r).isEqualTo(want);
                checked++;
              }
            }
          }
        }
      }
    }
    assertThat(checked).isEqualTo(SEARCHES.size() * QUERIES.size() * ORDERS.size() * 2 * 3 * 6);
  }

  /**
   * A list judges {@code online} by each node's {@link NodeEntry#connectedHeartbeat()}, which
   * trails the state for the moment between an update's swap and its copy: such a list is judged as
   * of the node's state just before that update, which has not returned yet. The records of a page
   * are made from the states, and agree with the judgement: a page holding a flow whose node's
   * state no longer holds is judged again by the states. Here every offline node still reads as
   * heard from just now, as if each were in the middle of going offline.
   */
  @Test
  void aNodeWhoseLivenessTrailsItsStateNeverShowsAsOfflineInAnOnlineList()
      throws ReflectiveOperationException {
    fleet(11);
    Snapshot s = index.snapshot();
    Field liveness = NodeEntry.class.getDeclaredField("connectedHeartbeat");
    liveness.setAccessible(true);
    for (NodeEntry node : new java.util.HashSet<>(Arrays.asList(s.flowNodes()))) {
      if (!eval().online(node.state())) liveness.setLong(node, NOW.toEpochMilli());
    }
    int fallen = 0;
    int judgedByCopies = 0;
    for (String rest : List.of("", " and tags contains \"finance\"")) {
      // The flows that read as online only by the copies.
      long trailing =
          expected(s, ListRequest.of(null, "online = false" + rest, null, 0, 1000)).filtered();
      assertThat(trailing).isPositive();
      for (String by : new String[] {null, "name", "release desc, name"}) {
        for (int pp : new int[] {1, 7, 1000}) {
          for (int p = 0; p < 3; p++) {
            ListRequest r = ListRequest.of(null, "online" + rest, by, p, pp);
            Page<RegistryFlow> want = expected(s, r);
            for (int twice = 0; twice < 2; twice++) { // ranking, then ranked
              Page<RegistryFlow> got = actual(s, r, true);
              assertThat(got.items()).as("%s", r).allMatch(RegistryFlow::online);
              if (got.filtered() == want.filtered()) {
                assertThat(got).as("%s", r).isEqualTo(want);
                fallen++;
              } else {
                // Judged as of the copies, by which every candidate is online: the same page as
                // that of the query without its online part.
                ListRequest unjudged =
                    ListRequest.of(null, rest.isEmpty() ? null : rest.substring(5), by, p, pp);
                assertThat(got).as("%s", r).isEqualTo(expected(s, unjudged));
                assertThat(got.filtered()).as("%s", r).isEqualTo(want.filtered() + trailing);
                judgedByCopies++;
              }
            }
            if (pp == 1000 && p == 0) {
              // The whole list on one page holds the trailing flows: judged again by the states.
              assertThat(actual(s, r, true)).as("%s", r).isEqualTo(want);
            }
          }
        }
      }
    }
    assertThat(fallen).isGreaterThanOrEqualTo(2 * 3 * 2);
    assertThat(judgedByCopies).isPositive();
  }

  /**
   * A page number so large that page × per page does not fit in an int is past the end of every
   * list: an empty page, never one that wrapped round to the first flows (which may be hidden).
   */
  @Test
  void aPageFarPastTheEndIsEmptyHoweverLargeItsNumber() {
    fleet(13);
    Snapshot s = index.snapshot();
    int[][] pages = {{Integer.MAX_VALUE, 2}, {1_431_655_765, 3}, {2_147_483, 1000}};
    for (String search : Arrays.asList(null, "report")) {
      for (String query : Arrays.asList(null, "online", "runs_started > 0")) {
        for (String by : Arrays.asList(null, "name", "runs_started desc, name")) {
          for (int[] page : pages) {
            for (boolean hidden : new boolean[] {false, true}) {
              ListRequest r =
                  ListRequest.of(search, query, by, page[0], page[1]).includingHidden(hidden);
              Page<RegistryFlow> first =
                  index.flows(ListRequest.of(search, query, by, 0, 1).includingHidden(hidden));
              Page<RegistryFlow> far = index.flows(r);
              assertThat(far.items()).as("%s", r).isEmpty();
              assertThat(far.filtered()).as("%s", r).isEqualTo(first.filtered());
              assertThat(actual(s, r, true).items()).as("%s, ranked", r).isEmpty();
            }
          }
        }
      }
    }
  }

  /**
   * Whichever update comes last, a node's copied liveness ends as its state's. A smoke test of
   * updates racing each other: the order of a copy against a later update's cannot be forced from
   * here.
   */
  @Test
  void updatesRacingEachOtherLeaveTheCopiedLivenessOfTheLastState() throws Exception {
    NodeEntry node = new NodeEntry(NodeState.registered("racer", 0));
    int threads = 4;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      for (int round = 0; round < 50; round++) {
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int seed = round * threads + t;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    Random r = new Random(seed);
                    for (int i = 0; i < 500; i++) {
                      long at = r.nextInt(1_000_000);
                      node.update(
                          st ->
                              r.nextInt(3) == 0
                                  ? st.disconnected()
                                  : st.connected(
                                      "http://127.0.0.1:1", List.of(), at, FlowPaths.NONE));
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (var f : done) f.get();
        assertThat(node.connectedHeartbeat())
            .as("round %d", round)
            .isEqualTo(node.state().connectedHeartbeat);
      }
    }
  }

  @Test
  void pagesWalkTheWholeListOnceInOrderThroughTies() {
    fleet(5);
    Snapshot s = index.snapshot();
    for (String by : ORDERS) {
      ListRequest all = ListRequest.of("report", "online or hidden = false", by, 0, 1000);
      Page<RegistryFlow> whole = actual(s, all, true);
      assertThat(whole.items()).hasSizeGreaterThan(20);
      List<RegistryFlow> walked = new ArrayList<>();
      for (int p = 0; ; p++) {
        Page<RegistryFlow> page =
            actual(s, ListRequest.of("report", "online or hidden = false", by, p, 3), true);
        assertThat(page.filtered()).isEqualTo(whole.filtered());
        if (page.items().isEmpty()) break;
        walked.addAll(page.items());
      }
      assertThat(walked).as("by %s", by).isEqualTo(whole.items());
    }
  }

  @Test
  void ranksPlaceEveryFlowOnceByItsOwnFieldsThenTheDefaultOrder() {
    fleet(7);
    Snapshot s = index.snapshot();
    Sort<FlowEntry> sort = Sort.parse("release desc, name", Fields.FLOWS);
    assertThat(sort.fixedFrom(f -> FlowScope.ofField(f.name()) == FlowScope.FIXED)).isZero();
    assertThat(
            Sort.parse("runs_started desc, name", Fields.FLOWS)
                .fixedFrom(f -> FlowScope.ofField(f.name()) == FlowScope.FIXED))
        .isEqualTo(1);
    s.makeRanks(sort.show(0), sort.rest(eval(), 0));
    Snapshot.Ranks ranks = s.ranks(sort.show(0));
    FlowEntry[] f = s.flows();
    for (int r = 0; r < f.length; r++) assertThat(ranks.rank()[ranks.flow()[r]]).isEqualTo(r);
    for (int r = 1; r < f.length; r++) {
      FlowEntry a = f[ranks.flow()[r - 1]];
      FlowEntry b = f[ranks.flow()[r]];
      int c = b.release.compareTo(a.release);
      if (c == 0) c = a.nameLower.compareTo(b.nameLower);
      if (c == 0) c = Integer.compare(ranks.flow()[r - 1], ranks.flow()[r]);
      assertThat(c).as("place %d", r).isNegative();
    }
  }

  @Test
  void queriesSplitByWhatTheyRead() {
    FlowScope.Split split =
        FlowScope.Split.of(
            Parser.parse(
                "online and tags contains \"x\" and (release >= \"1.0.0\" or name = \"a\")"
                    + " and node_tags contains \"eu\" and runs_started > 1 and (online or name = \"b\")",
                Fields.FLOWS));
    assertThat(split.entry().show())
        .isEqualTo(
            "(tags contains \"x\" and (release >= \"1.0.0\" or name = \"a\")"
                + " and node_tags contains \"eu\")");
    assertThat(split.node().show()).isEqualTo("online = true");
    assertThat(split.both().show())
        .isEqualTo("(runs_started > 1 and (online = true or name = \"b\"))");
    assertThat(FlowScope.Split.of(null)).isEqualTo(FlowScope.Split.NONE);
  }

  @Test
  void whatASnapshotKeepsIsMadeAgainForTheNext() {
    index.register("alpha");
    index.register("beta");
    FlowAnnouncement flow =
        new FlowAnnouncement("f", "Report", "d", "Ann", "Globex", NOW, "1.0.0", List.of("x"));
    index.connect(new Connect("alpha", "http://127.0.0.1:1", List.of("eu"), List.of(flow)));
    index.connect(new Connect("beta", "http://127.0.0.1:2", List.of("us"), List.of(flow)));
    ListRequest eu = ListRequest.of("report", "node_tags contains \"eu\"", "url desc", 0, 10);
    assertThat(index.flows(eu).items()).extracting(RegistryFlow::node).containsExactly("alpha");
    index.connect(new Connect("beta", "http://127.0.0.1:3", List.of("eu"), List.of(flow)));
    assertThat(index.flows(eu).items())
        .extracting(RegistryFlow::node)
        .containsExactly("beta", "alpha");
    index.constrainNode("beta", new Constraints(null, true, null));
    assertThat(index.flows(eu).items()).extracting(RegistryFlow::node).containsExactly("alpha");
    assertThat(index.flows(eu.includingHidden(true)).items())
        .extracting(RegistryFlow::node)
        .containsExactly("beta", "alpha");
  }
}
