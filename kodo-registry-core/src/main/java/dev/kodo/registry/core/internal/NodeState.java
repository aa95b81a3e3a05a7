package dev.kodo.registry.core.internal;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowUsage;
import java.util.List;
import java.util.Map;

/**
 * One version of a node's state: what it announced, what an admin set, its liveness figures, and
 * the lower-cased texts queries compare. Immutable: every change (a heartbeat included) makes a new
 * one, which {@link NodeEntry} swaps in atomically, so a reader always sees one consistent version.
 */
public final class NodeState {
  static final long NEVER = Long.MIN_VALUE;

  final String name;
  final String url;
  final String urlLower;
  final long registered;
  final boolean connected;
  final long heartbeat;
  final Map<String, Double> health;
  final Map<String, FlowUsage> usage;
  final double availability;
  final double latency;
  final Probes probes;
  final List<String> announcedTags;
  final Constraints constraints;
  final String origin;
  final String originLower;
  final String via;
  final List<String> path;

  // derived
  /**
   * {@link #heartbeat} while connected, else {@link #NEVER}: all that {@code online} reads, in one
   * field, so that judging it touches one place of the state
   * (docs/performance.md#registry-searched-lists).
   */
  final long connectedHeartbeat;

  final boolean hidden;
  final List<String> tags;
  final String[] tagsLower;
  final String notesLower;
  final String haystack;
  final String[] searchFields;

  /**
   * The flow paths {@link #usageFigures} was made for (null: none), and {@link #usage} by place in
   * them, as plain numbers ({@link FlowPaths#figures}): the paths are set by a connect or a
   * restore, the numbers made anew by each heartbeat, so that a list reads a match's usage from an
   * array rather than probing the map with its path (docs/performance.md#registry-searched-lists).
   * A flow of other paths (an entry of the snapshot before the connect's, published just after this
   * state) is looked up in the map, whose answer is the same.
   */
  private final FlowPaths usagePaths;

  private final double[] usageFigures;

  NodeState(
      String name,
      String url,
      long registered,
      boolean connected,
      long heartbeat,
      Map<String, Double> health,
      Map<String, FlowUsage> usage,
      double availability,
      double latency,
      Probes probes,
      List<String> announcedTags,
      Constraints constraints,
      String origin,
      String via,
      List<String> path) {
    this(
        name,
        url,
        registered,
        connected,
        heartbeat,
        health,
        usage,
        null,
        null,
        availability,
        latency,
        probes,
        announcedTags,
        constraints,
        origin,
        via,
        path);
  }

  private NodeState(
      String name,
      String url,
      long registered,
      boolean connected,
      long heartbeat,
      Map<String, Double> health,
      Map<String, FlowUsage> usage,
      FlowPaths usagePaths,
      double[] usageFigures,
      double availability,
      double latency,
      Probes probes,
      List<String> announcedTags,
      Constraints constraints,
      String origin,
      String via,
      List<String> path) {
    this.name = name;
    this.url = url;
    this.urlLower = Texts.lower(url);
    this.registered = registered;
    this.connected = connected;
    this.heartbeat = heartbeat;
    this.health = health;
    this.usage = usage;
    this.usagePaths = usagePaths;
    this.usageFigures = usageFigures;
    this.availability = availability;
    this.latency = latency;
    this.probes = probes;
    this.announcedTags = announcedTags;
    this.constraints = constraints;
    this.origin = origin;
    this.originLower = Texts.lower(origin);
    this.via = via;
    this.path = path;
    this.connectedHeartbeat = connected ? heartbeat : NEVER;
    this.hidden = constraints.hidden();
    this.tags = constraints.tagsOver(announcedTags);
    this.tagsLower = lowerAll(tags);
    this.notesLower = Texts.lower(constraints.notes());
    this.searchFields = searchFields(Texts.lower(name), urlLower, tagsLower);
    this.haystack = String.join("\u0000", searchFields);
  }

  static NodeState registered(String name, long at) {
    return new NodeState(
        name,
        null,
        at,
        false,
        NEVER,
        Map.of(),
        Map.of(),
        Double.NaN,
        Double.NaN,
        Probes.NONE,
        List.of(),
        Constraints.NONE,
        null,
        null,
        List.of());
  }

  /**
   * Connected at {@code url} with {@code tags} and flows of {@code paths}, by whose places its
   * usage is kept from now on.
   */
  NodeState connected(String url, List<String> tags, long at, FlowPaths paths) {
    return new NodeState(
        name,
        url,
        registered,
        true,
        at,
        health,
        usage,
        paths,
        paths.figures(usage),
        availability,
        latency,
        probes,
        tags,
        constraints,
        origin,
        via,
        path);
  }

  /** This state with its usage kept by the places of {@code paths} (its node's flows). */
  NodeState placed(FlowPaths paths) {
    return new NodeState(
        name,
        url,
        registered,
        connected,
        heartbeat,
        health,
        usage,
        paths,
        paths.figures(usage),
        availability,
        latency,
        probes,
        announcedTags,
        constraints,
        origin,
        via,
        path);
  }

  NodeState disconnected() {
    return new NodeState(
        name,
        url,
        registered,
        false,
        heartbeat,
        health,
        usage,
        usagePaths,
        usageFigures,
        availability,
        latency,
        probes,
        announcedTags,
        constraints,
        origin,
        via,
        path);
  }

  /**
   * A heartbeat at {@code at} reporting {@code health} and {@code usage}, which is kept by the
   * places of the paths this state's usage is kept by (the node's flows as its last connect or
   * restore made them, set in the same swap as the state).
   */
  NodeState heartbeat(long at, Map<String, Double> health, Map<String, FlowUsage> usage) {
    return new NodeState(
        name,
        url,
        registered,
        connected,
        at,
        health,
        usage,
        usagePaths,
        usagePaths == null ? null : usagePaths.figures(usage),
        availability,
        latency,
        probes,
        announcedTags,
        constraints,
        origin,
        via,
        path);
  }

  NodeState probed(boolean ok, double millis) {
    Probes p = probes.plus(ok, millis);
    return new NodeState(
        name,
        url,
        registered,
        connected,
        heartbeat,
        health,
        usage,
        usagePaths,
        usageFigures,
        p.availability(),
        p.latency(),
        p,
        announcedTags,
        constraints,
        origin,
        via,
        path);
  }

  NodeState constrained(Constraints c) {
    return new NodeState(
        name,
        url,
        registered,
        connected,
        heartbeat,
        health,
        usage,
        usagePaths,
        usageFigures,
        availability,
        latency,
        probes,
        announcedTags,
        c,
        origin,
        via,
        path);
  }

  boolean hidden() {
    return hidden;
  }

  /** The usage reported for the flow at {@code path}: {@link FlowUsage#NONE} if none. */
  FlowUsage usage(String path) {
    FlowUsage u = usage.get(path);
    return u == null ? FlowUsage.NONE : u;
  }

  /**
   * The usage reported for {@code e}'s path, as {@link #usage(String)} answers it: read by its
   * place when this state's usage is kept by the places of {@code e}'s paths, else looked up.
   */
  FlowUsage usage(FlowEntry e) {
    return e.paths == usagePaths ? usagePaths.usage(usageFigures, e.place) : usage(e.path);
  }

  /**
   * Figure {@code k} ({@link FlowPaths#RUNS_STARTED}…) of {@link #usage(FlowEntry)}, read without
   * making the record where it can.
   */
  double usage(FlowEntry e, int k) {
    return e.paths == usagePaths
        ? usagePaths.figure(usageFigures, e.place, k)
        : FlowPaths.figure(usage(e.path), k);
  }

  /** Whether this state's usage is kept by the places of {@code paths}. */
  boolean usageKeptFor(FlowPaths paths) {
    return usagePaths == paths;
  }

  static String[] lowerAll(List<String> values) {
    String[] out = new String[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Texts.lower(values.get(i));
    }
    return out;
  }

  private static String[] searchFields(String name, String url, String[] tags) {
    String[] out = new String[2 + tags.length];
    out[0] = name;
    out[1] = url == null ? "" : url;
    System.arraycopy(tags, 0, out, 2, tags.length);
    return out;
  }
}
