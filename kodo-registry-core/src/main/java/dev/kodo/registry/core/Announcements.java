package dev.kodo.registry.core;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.registry.core.internal.Semver;
import dev.kodo.registry.core.internal.Texts;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks what a node announces ({@code connect}, docs/http-api.md#nodes-and-their-handshake): each
 * flow record on its own, so that one bad record costs only itself. Stateless and thread-safe.
 *
 * <pre>{@code
 * AnnouncementResult r = Announcements.fromJson(body.get("flows"));
 * r.acceptedPaths();                               // what the node is told was accepted
 * r.rejected().forEach(x -> log(x.message()));     // flows[2] 'b.yaml': release: '1.0' is not …
 * }</pre>
 */
public final class Announcements {
  /**
   * At most this many flows in one announcement, unless {@link RegistryOptions#maxFlowsPerNode()}
   * says otherwise.
   */
  public static final int MAX_FLOWS = 10_000;

  /** At most this many characters in a path. */
  public static final int MAX_PATH = 512;

  /** At most this many characters in a name, author or organization. */
  public static final int MAX_NAME = 200;

  /** At most this many characters in a description. */
  public static final int MAX_DESCRIPTION = 10_000;

  private Announcements() {}

  /**
   * Accepts the valid records (normalised: texts trimmed, missing optional texts empty, tags
   * de-duplicated) and rejects each invalid one with the field and the reason. A path announced
   * twice is accepted the first time and rejected after.
   *
   * @throws InvalidRequestException ({@code flows}) if there are more than {@link #MAX_FLOWS}
   */
  public static AnnouncementResult validate(List<FlowAnnouncement> flows) {
    return validate(flows, MAX_FLOWS);
  }

  /**
   * {@link #validate(List)} with another limit on the number of flows.
   *
   * @throws InvalidRequestException ({@code flows}) if there are more than {@code maxFlows}
   */
  public static AnnouncementResult validate(List<FlowAnnouncement> flows, int maxFlows) {
    if (flows == null) {
      return new AnnouncementResult(List.of(), List.of());
    }
    checkCount(flows.size(), maxFlows);
    List<FlowAnnouncement> accepted = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < flows.size(); i++) {
      FlowAnnouncement a = flows.get(i);
      try {
        FlowAnnouncement ok = check(a);
        Integer first = firstIndex.putIfAbsent(ok.path(), i);
        if (first != null) {
          throw new InvalidRequestException(
              "path",
              "'" + Texts.echo(ok.path()) + "' is announced twice (first at flows[" + first + "])");
        }
        accepted.add(ok);
      } catch (InvalidRequestException e) {
        rejected.add(
            new Rejection(i, a == null ? null : usablePath(a.path()), e.parameter(), e.reason()));
      }
    }
    return new AnnouncementResult(accepted, rejected);
  }

  /**
   * Reads the {@code flows} array of a connect request and {@linkplain #validate validates} it; a
   * record whose fields have the wrong JSON types (a number for a name, a string for tags, a
   * published time that is not ISO-8601) is rejected like any other invalid record.
   *
   * @throws InvalidRequestException ({@code flows}) if {@code flows} is not an array, or too long
   */
  public static AnnouncementResult fromJson(JsonNode flows) {
    return fromJson(flows, MAX_FLOWS);
  }

  /**
   * {@link #fromJson(JsonNode)} with another limit on the number of flows.
   *
   * @throws InvalidRequestException ({@code flows}) if {@code flows} is not an array, or has more
   *     than {@code maxFlows} records
   */
  public static AnnouncementResult fromJson(JsonNode flows, int maxFlows) {
    if (flows == null || flows.isNull() || flows.isMissingNode()) {
      return new AnnouncementResult(List.of(), List.of());
    }
    if (!flows.isArray()) {
      throw new InvalidRequestException(
          "flows", "expected an array of flow records, not " + kind(flows));
    }
    checkCount(flows.size(), maxFlows);
    List<FlowAnnouncement> parsed = new ArrayList<>(flows.size());
    Map<Integer, Rejection> early = new HashMap<>();
    for (int i = 0; i < flows.size(); i++) {
      JsonNode f = flows.get(i);
      try {
        parsed.add(read(f));
      } catch (InvalidRequestException e) {
        String path =
            f.isObject() && f.path("path").isString() ? usablePath(f.get("path").asString()) : null;
        early.put(i, new Rejection(i, path, e.parameter(), e.reason()));
        parsed.add(null);
      }
    }
    AnnouncementResult checked =
        validate(parsed.stream().map(a -> a == null ? PLACEHOLDER : a).toList(), maxFlows);
    if (early.isEmpty()) {
      return checked;
    }
    List<Rejection> rejected = new ArrayList<>(early.values());
    checked.rejected().stream().filter(r -> !early.containsKey(r.index())).forEach(rejected::add);
    rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new AnnouncementResult(checked.accepted(), rejected);
  }

  /**
   * Stands in for a record that could not be read, so that indexes stay those of the request;
   * always rejected.
   */
  private static final FlowAnnouncement PLACEHOLDER =
      new FlowAnnouncement(null, null, null, null, null, null, null, null);

  private static void checkCount(int n, int max) {
    if (n > max) {
      throw new InvalidRequestException(
          "flows",
          "a node may announce at most "
              + max
              + " flows"
              + " (kodo.registry.max-flows-per-node), not "
              + n);
    }
  }

  /**
   * Checks a flow's path as an announcement's or an admin's constraint names it: not blank, no
   * spaces around it, at most {@value #MAX_PATH} characters, no control characters.
   *
   * @throws InvalidRequestException naming {@code field}
   */
  public static String checkPath(String path, String field) {
    String p = required(path, field);
    if (!p.equals(p.strip())) {
      throw new InvalidRequestException(field, "must not start or end with spaces");
    }
    return Texts.text(p, field, MAX_PATH, false);
  }

  private static FlowAnnouncement check(FlowAnnouncement a) {
    if (a == null) {
      throw new InvalidRequestException("flow", "a flow record cannot be null");
    }
    String path = checkPath(a.path(), "path");
    String name = Texts.text(required(a.name(), "name").strip(), "name", MAX_NAME, false);
    String release = required(a.release(), "release").strip();
    if (Semver.parse(release) == null) {
      throw new InvalidRequestException(
          "release",
          "'"
              + Texts.echo(release)
              + "' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0 or 2.0.0-beta.1)");
    }
    return new FlowAnnouncement(
        path,
        name,
        optional(a.description(), "description", MAX_DESCRIPTION, true),
        optional(a.author(), "author", MAX_NAME, false),
        optional(a.organization(), "organization", MAX_NAME, false),
        a.published(),
        release,
        a.tags() == null ? List.of() : Texts.tags(a.tags(), "tags"));
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field, "is required");
    }
    return value;
  }

  private static String optional(String value, String field, int max, boolean multiline) {
    return value == null ? "" : Texts.text(value.strip(), field, max, multiline);
  }

  private static String usablePath(String path) {
    if (path == null || path.isBlank() || path.length() > MAX_PATH) {
      return null;
    }
    for (int i = 0; i < path.length(); i++) {
      if (Character.isISOControl(path.charAt(i))) return null;
    }
    return path;
  }

  private static FlowAnnouncement read(JsonNode f) {
    if (!f.isObject()) {
      throw new InvalidRequestException(
          "flow", "expected a flow record (an object), not " + kind(f));
    }
    return new FlowAnnouncement(
        string(f, "path"),
        string(f, "name"),
        string(f, "description"),
        string(f, "author"),
        string(f, "organization"),
        instant(f, "published"),
        string(f, "release"),
        strings(f, "tags"));
  }

  private static String string(JsonNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new InvalidRequestException(field, "expected a string, not " + kind(v));
    }
    return v.asString();
  }

  private static Instant instant(JsonNode f, String field) {
    String s = string(f, field);
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field, "'" + Texts.echo(s) + "' is not an ISO-8601 time like 2026-11-27T11:12:13Z");
    }
  }

  private static List<String> strings(JsonNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new InvalidRequestException(field, "expected an array of strings, not " + kind(v));
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isString()) {
        throw new InvalidRequestException(
            field + "[" + i + "]", "expected a string, not " + kind(v.get(i)));
      }
      out.add(v.get(i).asString());
    }
    return out;
  }

  private static String kind(JsonNode v) {
    if (v.isObject()) return "an object";
    if (v.isArray()) return "an array";
    if (v.isNumber()) return "a number";
    if (v.isBoolean()) return "a boolean";
    if (v.isNull()) return "null";
    return "a string";
  }

  /** The earliest and latest instants a record from a peer may carry. */
  private static final Instant EARLIEST = Instant.EPOCH;

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** The most registries a record from a peer may have passed through. */
  public static final int MAX_PATH_HOPS = 32;

  /** The most health figures a node may report. */
  public static final int MAX_FIGURES = 64;

  /**
   * Checks a node record a peer registry sent (its export or push) as strictly as a node's own
   * handshake: its name, URL, tags, times, figures and path. Its flow records are checked when it
   * is taken in, like a handshake's (an invalid one is left out alone).
   *
   * @throws InvalidRequestException naming the field of the record that is not acceptable
   */
  public static void checkPeerNode(StoredNode n) {
    Texts.nodeName(n.name(), "name");
    if (n.url() != null) Texts.httpUrl(n.url(), "url");
    Texts.tags(n.tags(), "tags");
    Texts.tags(n.constraints().tags(), "constraints.tags");
    Texts.text(n.constraints().notes(), "constraints.notes", MAX_DESCRIPTION, true);
    instant(n.registered(), "registered");
    if (n.heartbeat() != null) instant(n.heartbeat(), "heartbeat");
    share(n.availability(), "availability");
    if (n.latency() != null && !(n.latency() >= 0 && Double.isFinite(n.latency()))) {
      throw new InvalidRequestException(
          "latency", "must be a finite number of milliseconds, not " + n.latency());
    }
    figures(n.health(), "health");
    if (n.usage().size() > MAX_FLOWS) {
      throw new InvalidRequestException(
          "usage", "at most " + MAX_FLOWS + " flows' usage, not " + n.usage().size());
    }
    if (n.origin() != null) Texts.nodeName(n.origin(), "origin");
    if (n.path().size() > MAX_PATH_HOPS) {
      throw new InvalidRequestException(
          "path",
          "a record passes through at most "
              + MAX_PATH_HOPS
              + " registries, not "
              + n.path().size());
    }
    for (int i = 0; i < n.path().size(); i++) Texts.nodeName(n.path().get(i), "path[" + i + "]");
    if (n.flows().size() > MAX_FLOWS) {
      throw new InvalidRequestException(
          "flows", "a node may announce at most " + MAX_FLOWS + " flows, not " + n.flows().size());
    }
    if (n.flowConstraints().size() > MAX_FLOWS) {
      throw new InvalidRequestException(
          "flowConstraints",
          "at most " + MAX_FLOWS + " entries, not " + n.flowConstraints().size());
    }
    for (Map.Entry<String, Constraints> e : n.flowConstraints().entrySet()) {
      Texts.text(e.getKey(), "flowConstraints", MAX_PATH, false);
      Texts.tags(e.getValue().tags(), "flowConstraints." + Texts.echo(e.getKey()) + ".tags");
      Texts.text(
          e.getValue().notes(),
          "flowConstraints." + Texts.echo(e.getKey()) + ".notes",
          MAX_DESCRIPTION,
          true);
    }
  }

  private static void instant(Instant at, String field) {
    if (at == null) throw new InvalidRequestException(field, "is required");
    if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw new InvalidRequestException(
          field, "must be between " + EARLIEST + " and " + LATEST + ", not " + at);
    }
  }

  private static void share(Double share, String field) {
    if (share != null && !(share >= 0 && share <= 1)) {
      throw new InvalidRequestException(field, "must be a share from 0 to 1, not " + share);
    }
  }

  private static void figures(Map<String, Double> figures, String field) {
    if (figures.size() > MAX_FIGURES) {
      throw new InvalidRequestException(
          field, "at most " + MAX_FIGURES + " figures, not " + figures.size());
    }
    for (Map.Entry<String, Double> e : figures.entrySet()) {
      Texts.text(e.getKey(), field, MAX_NAME, false);
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new InvalidRequestException(
            field + "." + Texts.echo(e.getKey()), "must be a finite number");
      }
    }
  }
}
