package dev.kodo.registry.core.internal;

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
  private final Map<String, QueryField<E>> byName;

  Fields(String what, List<QueryField<E>> fields) {
    this.what = what;
    Map<String, QueryField<E>> m = new TreeMap<>();
    fields.forEach(f -> m.put(f.name(), f));
    this.byName = Collections.unmodifiableMap(m);
  }

  /** The field called {@code name} (lower case), or null. */
  QueryField<E> find(String name) {
    QueryField<E> f = byName.get(name);
    if (f == null && HEALTH_KEY.matcher(name).matches()) {
      String key = name.substring("health.".length());
      return new QueryField.Num<>(
          name,
          true,
          (e, n, x) -> {
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
    return names().stream().filter(n -> !(byName.get(n) instanceof QueryField.Tags)).toList();
  }

  /**
   * The known field closest to a mistyped {@code name}, if one is close (at most 2 edits), else
   * null.
   */
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
  public static final Fields<FlowEntry> FLOWS =
      new Fields<>(
          "flows",
          List.of(
              new QueryField.Text<FlowEntry>("name", false, (e, n, x) -> e.nameLower),
              new QueryField.Text<FlowEntry>("description", false, (e, n, x) -> e.descriptionLower),
              new QueryField.Text<FlowEntry>("author", false, (e, n, x) -> e.authorLower),
              new QueryField.Text<FlowEntry>(
                  "organization", false, (e, n, x) -> e.organizationLower),
              new QueryField.Text<FlowEntry>("path", false, (e, n, x) -> e.pathLower),
              new QueryField.Text<FlowEntry>("node", false, (e, n, x) -> e.node.nameLower),
              new QueryField.Version<FlowEntry>(
                  "release", (e, n, x) -> e.release, (e, n, x) -> e.releaseLower),
              new QueryField.Time<FlowEntry>("published", (e, n, x) -> e.published),
              new QueryField.Tags<FlowEntry>("tags", (e, n, x) -> e.tagsLower),
              new QueryField.Tags<FlowEntry>("node_tags", (e, n, x) -> n.tagsLower),
              new QueryField.Bool<FlowEntry>("online", (e, n, x) -> x.online(n)),
              new QueryField.Bool<FlowEntry>("hidden", (e, n, x) -> e.hidden(n)),
              new QueryField.Num<FlowEntry>("availability", true, (e, n, x) -> n.availability),
              new QueryField.Num<FlowEntry>("latency", true, (e, n, x) -> n.latency),
              new QueryField.Time<FlowEntry>("heartbeat", (e, n, x) -> n.heartbeat),
              new QueryField.Num<FlowEntry>("heartbeat_age", true, (e, n, x) -> x.heartbeatAge(n)),
              new QueryField.Num<FlowEntry>(
                  "runs_started", false, (e, n, x) -> n.usage(e, FlowPaths.RUNS_STARTED)),
              new QueryField.Num<FlowEntry>(
                  "runs_finished", false, (e, n, x) -> n.usage(e, FlowPaths.RUNS_FINISHED)),
              new QueryField.Num<FlowEntry>(
                  "model_calls", false, (e, n, x) -> n.usage(e, FlowPaths.MODEL_CALLS)),
              new QueryField.Num<FlowEntry>(
                  "input_tokens", false, (e, n, x) -> n.usage(e, FlowPaths.INPUT_TOKENS)),
              new QueryField.Num<FlowEntry>(
                  "output_tokens", false, (e, n, x) -> n.usage(e, FlowPaths.OUTPUT_TOKENS)),
              new QueryField.Num<FlowEntry>("cost", false, (e, n, x) -> n.usage(e, FlowPaths.COST)),
              new QueryField.Text<FlowEntry>("url", true, (e, n, x) -> n.urlLower),
              new QueryField.Text<FlowEntry>("origin", true, (e, n, x) -> n.originLower),
              new QueryField.Text<FlowEntry>("notes", true, (e, n, x) -> e.notesLower)));

  /** The fields of nodes. */
  public static final Fields<NodeSlot> NODES =
      new Fields<>(
          "nodes",
          List.of(
              new QueryField.Text<NodeSlot>("name", false, (e, n, x) -> e.entry.nameLower),
              new QueryField.Text<NodeSlot>("url", true, (e, n, x) -> n.urlLower),
              new QueryField.Tags<NodeSlot>("tags", (e, n, x) -> n.tagsLower),
              new QueryField.Bool<NodeSlot>("online", (e, n, x) -> x.online(n)),
              new QueryField.Bool<NodeSlot>("connected", (e, n, x) -> n.connected),
              new QueryField.Bool<NodeSlot>("hidden", (e, n, x) -> n.hidden()),
              new QueryField.Num<NodeSlot>("availability", true, (e, n, x) -> n.availability),
              new QueryField.Num<NodeSlot>("latency", true, (e, n, x) -> n.latency),
              new QueryField.Time<NodeSlot>("heartbeat", (e, n, x) -> n.heartbeat),
              new QueryField.Num<NodeSlot>("heartbeat_age", true, (e, n, x) -> x.heartbeatAge(n)),
              new QueryField.Time<NodeSlot>("registered", (e, n, x) -> n.registered),
              new QueryField.Num<NodeSlot>("flows", false, (e, n, x) -> e.flows.length),
              new QueryField.Text<NodeSlot>("origin", true, (e, n, x) -> n.originLower),
              new QueryField.Text<NodeSlot>("notes", true, (e, n, x) -> n.notesLower)));
}
