package dev.kodo.registry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node state's usage kept by flow place ({@link NodeState#usage(FlowEntry)}) answers what the map
 * by path answers ({@link NodeState#usage(String)}) for every flow of every snapshot: after
 * heartbeats, after a connect changes the node's flows (before and after its next heartbeat), after
 * an admin constrains a flow, after a restore, and for a state made for paths that are no longer
 * the node's; and {@code online} reads one field to the same effect as its definition.
 */
class UsageByPlaceTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final InMemoryIndex index =
      new InMemoryIndex(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(300));

  private static FlowAnnouncement flow(String path) {
    return new FlowAnnouncement(path, "Flow " + path, "", "", "", NOW, "1.0.0", List.of("t"));
  }

  private static List<FlowAnnouncement> flows(String... paths) {
    List<FlowAnnouncement> out = new ArrayList<>();
    for (String p : paths) out.add(flow(p));
    return out;
  }

  private void connect(String node, String... paths) {
    index.connect(new Connect(node, "http://127.0.0.1:3000", List.of("eu"), flows(paths)));
  }

  private void heartbeat(String node, Map<String, FlowUsage> usage) {
    index.heartbeat(new Heartbeat(node, Map.of(), usage));
  }

  /** Every flow's usage by place is its usage by path, and is read by place where it can be. */
  private static void assertUsageByPlace(Snapshot s) {
    for (FlowEntry e : s.flows()) {
      NodeState n = e.node.state();
      FlowUsage u = n.usage(e.path);
      assertThat(n.usage(e)).as(e.node.name + " " + e.path).isEqualTo(u);
      assertThat(
              List.of(
                  n.usage(e, FlowPaths.RUNS_STARTED),
                  n.usage(e, FlowPaths.RUNS_FINISHED),
                  n.usage(e, FlowPaths.MODEL_CALLS),
                  n.usage(e, FlowPaths.INPUT_TOKENS),
                  n.usage(e, FlowPaths.OUTPUT_TOKENS),
                  n.usage(e, FlowPaths.COST)))
          .isEqualTo(
              List.of(
                  u.runsStarted(),
                  u.runsFinished(),
                  u.modelCalls(),
                  u.inputTokens(),
                  u.outputTokens(),
                  u.cost()));
    }
  }

  @Test
  void heartbeatsKeepUsageByPlaceOfTheNodesFlows() {
    index.register("a");
    connect("a", "z", "b", "m"); // announced out of order: places are in path order
    assertUsageByPlace(index.snapshot());
    heartbeat(
        "a",
        Map.of(
            "b", new FlowUsage(3, 1, 4, 100, 20, 0.25),
            "z", new FlowUsage(7, 7),
            "gone", new FlowUsage(9, 9)));
    Snapshot s = index.snapshot();
    assertUsageByPlace(s);
    FlowEntry b = s.node("a").flow("b");
    FlowEntry m = s.node("a").flow("m");
    FlowEntry z = s.node("a").flow("z");
    assertThat(List.of(b.place, m.place, z.place)).containsExactly(0, 1, 2);
    assertThat(b.paths).isSameAs(z.paths).isSameAs(s.node("a").paths());
    NodeState n = b.node.state();
    assertThat(n.usageKeptFor(b.paths)).isTrue();
    assertThat(n.usage(b)).isEqualTo(new FlowUsage(3, 1, 4, 100, 20, 0.25));
    assertThat(n.usage(b, FlowPaths.COST)).isEqualTo(0.25);
    assertThat(n.usage(z, FlowPaths.RUNS_STARTED)).isEqualTo(7);
    assertThat(n.usage(m)).isEqualTo(FlowUsage.NONE);
    assertThat(n.usage(z)).isEqualTo(new FlowUsage(7, 7));

    heartbeat("a", Map.of("m", new FlowUsage(2, 0)));
    n = b.node.state();
    assertThat(n.usage(b)).isEqualTo(FlowUsage.NONE);
    assertThat(n.usage(m)).isEqualTo(new FlowUsage(2, 0));
    assertUsageByPlace(index.snapshot());
  }

  @Test
  void aConnectWithOtherFlowsKeepsUsageByTheirPlacesBeforeAndAfterTheNextHeartbeat() {
    index.register("a");
    connect("a", "b", "c");
    heartbeat(
        "a", Map.of("b", new FlowUsage(1, 0), "c", new FlowUsage(2, 0), "d", new FlowUsage(4, 0)));
    Snapshot before = index.snapshot();

    connect("a", "a", "c", "d"); // "c" moves from place 1 to place 1 of new paths; "d" is new
    Snapshot after = index.snapshot();
    assertUsageByPlace(after);
    NodeState n = after.node("a").entry.state();
    assertThat(n.usageKeptFor(after.node("a").paths())).isTrue(); // by the connect itself
    assertThat(n.usage(after.node("a").flow("d"))).isEqualTo(new FlowUsage(4, 0));
    assertThat(n.usage(after.node("a").flow("a"))).isEqualTo(FlowUsage.NONE);
    // The old snapshot's entries are of other paths: looked up by path, with the same answers.
    assertUsageByPlace(before);
    assertThat(n.usage(before.node("a").flow("b"))).isEqualTo(new FlowUsage(1, 0));

    heartbeat("a", Map.of("a", new FlowUsage(5, 0)));
    // The heartbeat keeps the usage by the paths the connect set in the state.
    assertThat(after.node("a").entry.state().usageKeptFor(after.node("a").paths())).isTrue();
    assertUsageByPlace(index.snapshot());
    assertUsageByPlace(before);
    assertThat(after.node("a").entry.state().usage(after.node("a").flow("a")))
        .isEqualTo(new FlowUsage(5, 0));

    connect("a"); // no flows at all
    heartbeat("a", Map.of("a", new FlowUsage(6, 0)));
    assertUsageByPlace(index.snapshot());
    assertUsageByPlace(after);
  }

  @Test
  void aStateMadeForPathsThatAreNoLongerTheNodesAnswersFromItsMap() {
    index.register("a");
    connect("a", "b", "c");
    NodeSlot old = index.snapshot().node("a");
    connect("a", "c", "b"); // the same paths, made anew
    NodeSlot now = index.snapshot().node("a");
    assertThat(now.paths()).isNotSameAs(old.paths());
    // A state whose usage is kept by the old snapshot's paths, heartbeating.
    NodeState n =
        now.entry
            .state()
            .placed(old.paths())
            .heartbeat(
                NOW.toEpochMilli(),
                Map.of(),
                Map.of("b", new FlowUsage(1, 0), "c", new FlowUsage(2, 0)));
    assertThat(n.usageKeptFor(now.paths())).isFalse();
    assertThat(n.usage(now.flow("b"))).isEqualTo(new FlowUsage(1, 0));
    assertThat(n.usage(now.flow("c"))).isEqualTo(new FlowUsage(2, 0));
    assertThat(n.usage(old.flow("c"))).isEqualTo(new FlowUsage(2, 0));
  }

  @Test
  void constrainedFlowsAndRestoredNodesKeepTheirPlaces() {
    index.register("a");
    connect("a", "b", "c", "d");
    heartbeat("a", Map.of("c", new FlowUsage(2, 1), "d", new FlowUsage(3, 1)));
    index.constrainFlow("a", "c", new Constraints(List.of("x"), false, "noted"));
    Snapshot s = index.snapshot();
    FlowEntry c = s.node("a").flow("c");
    assertThat(c.constraints.notes()).isEqualTo("noted");
    assertThat(c.place).isEqualTo(1);
    assertThat(c.paths).isSameAs(s.node("a").flow("b").paths);
    assertThat(c.node.state().usage(c)).isEqualTo(new FlowUsage(2, 1));
    assertUsageByPlace(s);

    InMemoryIndex restored =
        new InMemoryIndex(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(300));
    restored.restore(List.of(index.stored("a").orElseThrow()));
    Snapshot r = restored.snapshot();
    FlowEntry d = r.node("a").flow("d");
    assertThat(d.node.state().usageKeptFor(d.paths)).isTrue();
    assertThat(d.node.state().usage(d)).isEqualTo(new FlowUsage(3, 1));
    assertUsageByPlace(r);
  }

  @Test
  void onlineReadsOneFieldToTheEffectOfItsDefinition() {
    long now = NOW.toEpochMilli();
    long timeout = 300_000;
    Eval x = new Eval(now, timeout);
    NodeState never = NodeState.registered("a", now);
    NodeState connectedNever =
        never.connected("http://127.0.0.1:1", List.of(), NodeState.NEVER, FlowPaths.NONE);
    NodeState fresh =
        never.connected("http://127.0.0.1:1", List.of(), now - timeout, FlowPaths.NONE);
    NodeState stale =
        never.connected("http://127.0.0.1:1", List.of(), now - timeout - 1, FlowPaths.NONE);
    NodeState future = never.connected("http://127.0.0.1:1", List.of(), now + 5, FlowPaths.NONE);
    for (NodeState n :
        List.of(
            never,
            connectedNever,
            fresh,
            stale,
            future,
            fresh.disconnected(),
            fresh.probed(true, 1))) {
      boolean defined =
          n.connected && n.heartbeat != NodeState.NEVER && now - n.heartbeat <= timeout;
      assertThat(x.online(n)).as(n.connected + " " + n.heartbeat).isEqualTo(defined);
    }
    assertThat(x.online(fresh)).isTrue();
    assertThat(x.online(stale)).isFalse();
    assertThat(x.online(fresh.disconnected())).isFalse();
  }
}
