package dev.kodo.registry.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a flow query or sort key reads, so that a list can do each part of the work as seldom as its
 * inputs change (docs/performance.md#registry-searched-lists):
 *
 * <ul>
 *   <li>{@link #FIXED}: what stays the same for a snapshot's whole life, so is computed once per
 *       snapshot and kept — the flow's own texts, tags, release and publishing time (final fields
 *       of its {@link FlowEntry}), and what of its node only changes by publishing a new snapshot:
 *       the node's tags, URL and origin (set by connect, constraints, restore or a peer) and
 *       whether the flow is hidden (the rule {@link Snapshot#visibleFlows()} already keeps to);
 *   <li>{@link #NODE}: the node's other state and the request's instant (online, heartbeat, health,
 *       probes) — changed by heartbeats and probes without a new snapshot, but the same for every
 *       flow of a node within one list, so judged once per node state;
 *   <li>{@link #BOTH}: anything else (usage by path), judged per flow.
 * </ul>
 */
enum FlowScope {
  FIXED,
  NODE,
  BOTH;

  /**
   * Fields read from the {@link FlowEntry} alone, or from node state that only a new snapshot
   * changes ({@link NodeState#connected} and {@link NodeState#constrained} are called inside {@code
   * InMemoryIndex.write}; heartbeats, probes and disconnects keep tags, URL, origin and
   * constraints).
   */
  private static final Set<String> FIXED_FIELDS =
      Set.of(
          "name",
          "description",
          "author",
          "organization",
          "path",
          "node",
          "release",
          "published",
          "tags",
          "notes",
          "node_tags",
          "url",
          "origin",
          "hidden");

  /** Fields read from the {@link NodeState} and the {@link Eval} alone. */
  private static final Set<String> NODE_FIELDS =
      Set.of("online", "availability", "latency", "heartbeat", "heartbeat_age");

  /** The scope of the flow field called {@code name}. */
  static FlowScope ofField(String name) {
    if (FIXED_FIELDS.contains(name)) return FIXED;
    if (NODE_FIELDS.contains(name) || name.startsWith("health.")) return NODE;
    return BOTH;
  }

  /** The scope of an expression: its fields' if they agree, else {@link #BOTH}. */
  static FlowScope of(Expr<FlowEntry> e) {
    return switch (e) {
      case Expr.And<FlowEntry> a -> ofAll(a.parts());
      case Expr.Or<FlowEntry> o -> ofAll(o.parts());
      case Expr.Not<FlowEntry> n -> of(n.inner());
      case Expr.Comparison<FlowEntry> c -> ofField(c.field());
      case Expr.Membership<FlowEntry> m -> ofField(m.field());
      case Expr.BoolIs<FlowEntry> b -> ofField(b.field());
    };
  }

  private static FlowScope ofAll(Expr<FlowEntry>[] parts) {
    FlowScope s = null;
    for (Expr<FlowEntry> p : parts) {
      FlowScope t = of(p);
      if (s == null) {
        s = t;
      } else if (s != t) {
        return BOTH;
      }
    }
    return s == null ? BOTH : s;
  }

  /**
   * A query split by scope: the conjunction of its top-level parts of each scope (null where there
   * is none). The parts' conjunction holds exactly when the query does: they are pure, so their
   * order does not matter.
   *
   * @param entry the parts reading only what is {@link #FIXED} for a snapshot
   * @param node the parts reading the node's state alone
   * @param both the rest
   */
  record Split(Expr<FlowEntry> entry, Expr<FlowEntry> node, Expr<FlowEntry> both) {
    static final Split NONE = new Split(null, null, null);

    /** Splits {@code filter} (null: no query). */
    static Split of(Expr<FlowEntry> filter) {
      if (filter == null) return NONE;
      @SuppressWarnings("unchecked")
      Expr<FlowEntry>[] parts =
          filter instanceof Expr.And<FlowEntry> a ? a.parts() : new Expr[] {filter};
      List<Expr<FlowEntry>> entry = new ArrayList<>();
      List<Expr<FlowEntry>> node = new ArrayList<>();
      List<Expr<FlowEntry>> both = new ArrayList<>();
      for (Expr<FlowEntry> p : parts) {
        switch (FlowScope.of(p)) {
          case FIXED -> entry.add(p);
          case NODE -> node.add(p);
          case BOTH -> both.add(p);
        }
      }
      return new Split(and(entry), and(node), and(both));
    }

    @SuppressWarnings("unchecked")
    private static Expr<FlowEntry> and(List<Expr<FlowEntry>> parts) {
      if (parts.isEmpty()) return null;
      if (parts.size() == 1) return parts.get(0);
      return new Expr.And<>(parts.toArray(new Expr[0]));
    }
  }
}
