package dev.kodo.registry.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The fields of one kind of record (flows or nodes) that queries and sorting may name, plus the
 * open family {@code health.KEY} (a node's reported figure KEY, a nullable number). Immutable.
 */
public final class Fields<E> {
  private static final Pattern HEALTH_KEY = Pattern.compile("health\\.[a-z0-9_.-]{1,64}");

  final String what;
  private final Map<String, Field<E>> byName;

  Fields(String what, List<Field<E>> fields) {
    this.what = what;
    Map<String, Field<E>> m = new TreeMap<>();
    fields.forEach(f -> m.put(f.name(), f));
    this.byName = Collections.unmodifiableMap(m);
  }

  /** The field called {@code name} (lower case), or null. */
  Field<E> find(String name) {
    Field<E> f = byName.get(name);
    if (f == null && HEALTH_KEY.matcher(name).matches()) {
      String key = name.substring("health.".length());
      return new Field.Num<>(name, true, (e, n, x) -> {
        Double v = n.health.get(key);
        return v == null ? Double.NaN : v;
      });
    }
    return f;
  }

  /** The names, sorted, with {@code health.KEY} standing for the health figures. */
  public List<String> names() {
    List<String> names = new ArrayList<>(byName.keySet());
    names.add("health.KEY");
    Collections.sort(names);
    return names;
  }

  /** The names of the fields a list can be sorted by. */
  List<String> sortable() {
    return names().stream().filter(n -> !(byName.get(n) instanceof Field.Tags)).toList();
  }

  /** The known field closest to a mistyped {@code name}, if one is close (at most 2 edits), else null. */
  String suggest(String name) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : byName.keySet()) {
      int d = distance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64) return 3;
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The fields of flows. */
  public static final Fields<FlowEntry> FLOWS = new Fields<>("flows", List.of(
      new Field.Text<FlowEntry>("name", false, (e, n, x) -> e.nameLower),
      new Field.Text<FlowEntry>("description", false, (e, n, x) -> e.descriptionLower),
      new Field.Text<FlowEntry>("author", false, (e, n, x) -> e.authorLower),
      new Field.Text<FlowEntry>("organization", false, (e, n, x) -> e.organizationLower),
      new Field.Text<FlowEntry>("path", false, (e, n, x) -> e.pathLower),
      new Field.Text<FlowEntry>("node", false, (e, n, x) -> e.node.nameLower),
      new Field.Version<FlowEntry>("release", (e, n, x) -> e.release, (e, n, x) -> e.releaseLower),
      new Field.Time<FlowEntry>("published", (e, n, x) -> e.published),
      new Field.Tags<FlowEntry>("tags", (e, n, x) -> e.tagsLower),
      new Field.Tags<FlowEntry>("node_tags", (e, n, x) -> n.tagsLower),
      new Field.Bool<FlowEntry>("online", (e, n, x) -> x.online(n)),
      new Field.Bool<FlowEntry>("hidden", (e, n, x) -> e.hidden(n)),
      new Field.Num<FlowEntry>("availability", true, (e, n, x) -> n.availability),
      new Field.Num<FlowEntry>("latency", true, (e, n, x) -> n.latency),
      new Field.Time<FlowEntry>("heartbeat", (e, n, x) -> n.heartbeat),
      new Field.Num<FlowEntry>("heartbeat_age", true, (e, n, x) -> x.heartbeatAge(n)),
      new Field.Num<FlowEntry>("runs_started", false, (e, n, x) -> n.usage(e.path).runsStarted()),
      new Field.Num<FlowEntry>("runs_finished", false, (e, n, x) -> n.usage(e.path).runsFinished()),
      new Field.Text<FlowEntry>("url", true, (e, n, x) -> n.urlLower),
      new Field.Text<FlowEntry>("origin", true, (e, n, x) -> n.originLower),
      new Field.Text<FlowEntry>("notes", true, (e, n, x) -> e.notesLower)));

  /** The fields of nodes. */
  public static final Fields<NodeSlot> NODES = new Fields<>("nodes", List.of(
      new Field.Text<NodeSlot>("name", false, (e, n, x) -> e.entry.nameLower),
      new Field.Text<NodeSlot>("url", true, (e, n, x) -> n.urlLower),
      new Field.Tags<NodeSlot>("tags", (e, n, x) -> n.tagsLower),
      new Field.Bool<NodeSlot>("online", (e, n, x) -> x.online(n)),
      new Field.Bool<NodeSlot>("connected", (e, n, x) -> n.connected),
      new Field.Bool<NodeSlot>("hidden", (e, n, x) -> n.hidden()),
      new Field.Num<NodeSlot>("availability", true, (e, n, x) -> n.availability),
      new Field.Num<NodeSlot>("latency", true, (e, n, x) -> n.latency),
      new Field.Time<NodeSlot>("heartbeat", (e, n, x) -> n.heartbeat),
      new Field.Num<NodeSlot>("heartbeat_age", true, (e, n, x) -> x.heartbeatAge(n)),
      new Field.Time<NodeSlot>("registered", (e, n, x) -> n.registered),
      new Field.Num<NodeSlot>("flows", false, (e, n, x) -> e.flows.length),
      new Field.Text<NodeSlot>("origin", true, (e, n, x) -> n.originLower),
      new Field.Text<NodeSlot>("notes", true, (e, n, x) -> n.notesLower)));
}
