package dev.kodo.registry.core.internal;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.StoredNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns index entries into the records the API answers, and records back into entries (for {@code
 * Query.matches}).
 */
final class Records {
  private Records() {}

  static Instant instant(long millis) {
    return millis == NodeState.NEVER ? null : Instant.ofEpochMilli(millis);
  }

  static Double number(double d) {
    return Double.isNaN(d) ? null : d;
  }

  static RegistryFlow flow(FlowEntry e, NodeState n, Eval x) {
    FlowAnnouncement a = e.announcement;
    return new RegistryFlow(
        e.node.name,
        a.path(),
        a.name(),
        a.description(),
        a.author(),
        a.organization(),
        a.published(),
        a.release(),
        e.tags,
        a.tags(),
        e.constraints,
        e.hidden(n),
        e.constraints.notes(),
        n.usage(e),
        n.url,
        x.online(n),
        instant(n.heartbeat),
        number(n.availability),
        n.tags,
        n.origin);
  }

  static RegistryNode node(NodeSlot s, NodeState n, Eval x) {
    return new RegistryNode(
        s.entry.name,
        n.url,
        instant(n.registered),
        n.connected,
        x.online(n),
        instant(n.heartbeat),
        n.health,
        number(n.availability),
        number(n.latency),
        n.tags,
        n.announcedTags,
        n.constraints,
        n.hidden(),
        n.constraints.notes(),
        n.origin,
        s.flows.length);
  }

  static StoredNode stored(NodeSlot s) {
    NodeState n = s.entry.state();
    List<FlowAnnouncement> flows = Arrays.stream(s.flows).map(f -> f.announcement).toList();
    return new StoredNode(
        s.entry.name,
        n.url,
        instant(n.registered),
        n.connected,
        instant(n.heartbeat),
        n.health,
        n.usage,
        number(n.availability),
        number(n.latency),
        n.announcedTags,
        n.constraints,
        n.origin,
        n.via,
        flows,
        s.flowConstraints,
        n.path);
  }

  /** A node state standing for what a flow record says of its node. */
  static NodeState stateOf(RegistryFlow r) {
    Map<String, FlowUsage> usage = new HashMap<>();
    if (r.usage() != null) usage.put(r.path(), r.usage());
    Constraints c = Checks.constraints(new Constraints(null, r.hidden(), null));
    return new NodeState(
        r.node(),
        r.url(),
        NodeState.NEVER,
        r.online(),
        millis(r.heartbeat()),
        Map.of(),
        usage,
        nan(r.availability()),
        Double.NaN,
        Probes.NONE,
        list(r.nodeTags()),
        c,
        r.origin(),
        null,
        List.of());
  }

  static FlowEntry entryOf(RegistryFlow r, NodeState n) {
    FlowAnnouncement a =
        new FlowAnnouncement(
            r.path(),
            r.name(),
            text(r.description()),
            text(r.author()),
            text(r.organization()),
            r.published(),
            r.release(),
            list(r.tags()));
    Constraints c = Checks.constraints(new Constraints(null, false, r.notes()));
    return new FlowEntry(new NodeEntry(n), a, c);
  }

  static NodeState stateOf(RegistryNode r) {
    Constraints c = Checks.constraints(new Constraints(list(r.tags()), r.hidden(), r.notes()));
    return new NodeState(
        r.name(),
        r.url(),
        millis(r.registered()),
        r.online(),
        millis(r.heartbeat()),
        r.health() == null ? Map.of() : r.health(),
        Map.of(),
        nan(r.availability()),
        nan(r.latency()),
        Probes.NONE,
        list(r.announcedTags()),
        c,
        r.origin(),
        null,
        List.of());
  }

  static NodeSlot slotOf(RegistryNode r, NodeState n) {
    return NodeSlot.counting(new NodeEntry(n), Math.max(0, r.flows()));
  }

  private static long millis(Instant i) {
    return i == null ? NodeState.NEVER : i.toEpochMilli();
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : new ArrayList<>(l);
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
