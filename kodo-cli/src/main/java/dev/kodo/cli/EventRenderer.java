package dev.kodo.cli;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.client.Shorten;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Prints a run's events as they come, one readable line each — time, type, and what happened (a
 * progress bar, a result, an action, a log line, a lock and its answers, a kill or a share) — or,
 * in JSON mode, each event's JSON on one line. A {@code final} event is followed by the result
 * itself (Markdown as text, JSON indented), a {@code fatal} one by where the error was thrown. Used
 * by {@code koco run}, {@code koco follow} and {@code koco launch --follow}; the static helpers
 * also serve {@code koco status}. Thread-safe: events printed from several threads keep whole
 * lines.
 */
final class EventRenderer {
  static final int MAX_SUMMARY = 240;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
  private static final int TYPE_WIDTH = 12;
  private static final int BAR_WIDTH = 20;
  private static final String INDENT = " ".repeat(12 + 2 + TYPE_WIDTH + 2);

  private final PrintWriter out;
  private final ZoneId zone;
  private final boolean json;
  private final Style style;
  private final boolean lockHints;

  EventRenderer(PrintWriter out, ZoneId zone, boolean json, Style style) {
    this(out, zone, json, style, false);
  }

  private EventRenderer(
      PrintWriter out, ZoneId zone, boolean json, Style style, boolean lockHints) {
    this.out = out;
    this.zone = zone;
    this.json = json;
    this.style = style;
    this.lockHints = lockHints;
  }

  /**
   * This renderer, adding to each {@code lock} event how to answer it with {@code koco lock}: for
   * runs followed on a node.
   */
  EventRenderer withLockHints() {
    return new EventRenderer(out, zone, json, style, true);
  }

  /** Prints one event and flushes, so that a live run shows at once. */
  synchronized void print(Event event) {
    out.println(json ? event.toJson() : render(event));
    out.flush();
  }

  /** The readable form of one event, without a trailing newline. */
  String render(Event event) {
    JsonNode d = data(event);
    String head = style.dim(TIME.format(event.ts().atZone(zone))) + "  " + typeLabel(event.type());
    StringBuilder s = new StringBuilder(head);
    String summary = summary(event.type(), d);
    if (!summary.isEmpty()) {
      s.append("  ").append(summary);
    }
    List<String> details = details(event.type(), d);
    if (lockHints && EventType.LOCK.type().equals(event.type())) {
      details.add("answer it: koco lock " + event.fid());
    }
    for (String line : details) {
      s.append('\n').append(line.isEmpty() ? "" : INDENT + line);
    }
    if (EventType.FINAL.type().equals(event.type())) {
      String body = resultBody(d.path("result"));
      if (!body.isEmpty()) {
        s.append("\n\n").append(body);
      }
    }
    return s.toString();
  }

  private String typeLabel(String type) {
    String padded =
        type.length() >= TYPE_WIDTH ? type : type + " ".repeat(TYPE_WIDTH - type.length());
    return switch (type) {
      case "final" -> style.green(style.bold(padded));
      case "fatal" -> style.red(style.bold(padded));
      case "stderr",
          "result-error",
          "action-error",
          "unlock-deny",
          "unlock-timeout",
          "lock-timeout",
          "kill" ->
          style.red(padded);
      case "progress" -> style.cyan(padded);
      case "lock", "candidate", "unlock" -> style.yellow(padded);
      case "inputs", "version", "flow", "config", "agent", "task", "tool" -> style.dim(padded);
      default -> padded;
    };
  }

  private static JsonNode data(Event event) {
    try {
      return event.dataNode();
    } catch (RuntimeException notJson) {
      return Json.mapper().getNodeFactory().stringNode(event.data());
    }
  }

  private String summary(String type, JsonNode d) {
    String s =
        switch (type) {
          case "inputs" -> keyValues(d);
          case "version" -> "kodo " + text(d, "kodo", "?") + " on Java " + text(d, "java", "?");
          case "flow" ->
              text(d, "name", "?")
                  + " "
                  + text(d, "release", "")
                  + " ("
                  + text(d, "path", "?")
                  + ")";
          case "progress" -> progress(d.path("value").asDouble(0), text(d, "message", ""));
          case "result" -> oneLine(d);
          case "result-error" -> message(d);
          case "action" -> (text(d, "name", "") + " " + compact(d.get("data"))).trim();
          case "action-error" -> (text(d, "name", "") + " " + message(d)).trim();
          case "stdout", "stderr" -> text(d, "line", compact(d));
          case "final" ->
              "done" + (d.has("runtime") ? " in " + seconds(d.path("runtime").asDouble(0)) : "");
          case "fatal" -> fatalSummary(d);
          case "kill" -> "run killed" + by(d);
          case "acknowledge" -> "run acknowledged" + by(d);
          case "share" ->
              "shared with "
                  + list(d.path("subjects"))
                  + " (level "
                  + text(d, "level", "?")
                  + ", mode "
                  + text(d, "mode", "?")
                  + ")";
          case "delete" -> "run deleted" + by(d);
          case "lock" -> lockSummary(d, zone);
          case "candidate" -> answerToLock(d) + ": " + keyValues(d.get("data"));
          case "unlock" ->
              "lock "
                  + text(d, "lid", "?")
                  + " released: answer "
                  + text(d, "cid", "?")
                  + " accepted";
          case "unlock-deny" -> answerToLock(d) + " denied" + denialSummary(d.path("errors"));
          case "unlock-timeout" -> answerToLock(d) + " was not judged in time; the lock stays open";
          case "lock-timeout" ->
              "lock " + text(d, "lid", "?") + " expired without an accepted answer";
          default -> compact(d);
        };
    return abbreviate(s, MAX_SUMMARY);
  }

  private static List<String> details(String type, JsonNode d) {
    List<String> lines = new ArrayList<>();
    if (type.equals("lock")) {
      String fields = demandFields(d.path("demand"));
      if (!fields.isEmpty()) {
        lines.add("asks for " + fields);
      }
    }
    if (type.equals("unlock-deny") && d.path("errors").size() > 1) {
      for (JsonNode e : d.path("errors")) {
        lines.add("- " + fieldError(e));
      }
    }
    if (type.equals("fatal")) {
      String where = where(d);
      if (where != null) {
        lines.add("at " + where);
      }
      String cause = text(d, "cause", null);
      if (cause != null) {
        lines.add("caused by " + cause);
      }
    }
    return lines;
  }

  /** A progress bar with its percentage and message: {@code [########------------] 40% reading}. */
  static String progress(double value, String message) {
    double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
    int filled = (int) Math.round(v * BAR_WIDTH);
    String bar = "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    String pct = String.format(Locale.ROOT, "%3d%%", Math.round(v * 100));
    return (bar + " " + pct + (message == null || message.isBlank() ? "" : "  " + message))
        .stripTrailing();
  }

  /**
   * A {@code result} event's data (or a run's result) on one line: Markdown's first line, JSON
   * compact.
   */
  static String oneLine(JsonNode result) {
    JsonNode body = result.path("body");
    if ("markdown".equals(text(result, "format", null))) {
      String md = body.isString() ? body.stringValue() : compact(body);
      List<String> lines = md.lines().filter(l -> !l.isBlank()).toList();
      if (lines.isEmpty()) {
        return "(empty)";
      }
      return lines.getFirst().strip()
          + (lines.size() > 1 ? "  (+" + (lines.size() - 1) + " lines)" : "");
    }
    return compact(result.has("body") ? body : result);
  }

  /** A result in full: Markdown as text, JSON indented. Empty if there is none. */
  static String resultBody(JsonNode result) {
    if (result == null || result.isMissingNode() || result.isNull()) {
      return "";
    }
    JsonNode body = result.path("body");
    if ("markdown".equals(text(result, "format", null)) && body.isString()) {
      return body.stringValue().stripTrailing();
    }
    JsonNode value = result.has("body") ? body : result;
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  /** What a {@code fatal} event says: its message, with the reason when it is not an exception. */
  static String fatalSummary(JsonNode d) {
    String message = text(d, "message", null);
    String reason = text(d, "reason", null);
    if (message == null) {
      return reason == null ? compact(d) : reason;
    }
    return reason == null || reason.equals("exception") ? message : message + " [" + reason + "]";
  }

  /**
   * Where a {@code fatal} error was thrown: the first frame outside the JDK, or null if unknown.
   */
  static String where(JsonNode d) {
    JsonNode frames = d.path("where");
    if (!frames.isArray() || frames.isEmpty()) {
      return null;
    }
    for (JsonNode f : frames) {
      String frame = f.asString("");
      if (!(frame.startsWith("java.")
          || frame.startsWith("jdk.")
          || frame.startsWith("sun.")
          || frame.contains("/java.")
          || frame.contains("/jdk."))) {
        return frame;
      }
    }
    return frames.get(0).asString("");
  }

  /** {@code a=1, b=text} for a JSON object's fields. */
  static String keyValues(JsonNode object) {
    if (object == null || !object.isObject()) {
      return compact(object);
    }
    if (object.isEmpty()) {
      return "(none)";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      JsonNode v = e.getValue();
      String value = v.isString() ? v.stringValue() : compact(v);
      parts.add(e.getKey() + "=" + abbreviate(value.replace("\n", "\\n"), 60));
    }
    return String.join(", ", parts);
  }

  static String seconds(double s) {
    return s < 10
        ? String.format(Locale.ROOT, "%.3f s", s)
        : String.format(Locale.ROOT, "%.1f s", s);
  }

  /** {@code waiting for input: TITLE (lock L, until T)}. */
  private static String lockSummary(JsonNode d, ZoneId zone) {
    String title = text(d.path("demand"), "title", null);
    return "waiting for input"
        + (title == null || title.isBlank() ? "" : ": " + title)
        + " (lock "
        + text(d, "lid", "?")
        + LockView.until(d, zone, ", until ")
        + ")";
  }

  /**
   * The fields a demand asks for: {@code approve (true/false, required), comment (text (max 2000
   * chars))}.
   */
  static String demandFields(JsonNode demand) {
    JsonNode props = demand.path("schema").path("properties");
    if (!props.isObject() || props.isEmpty()) {
      return "";
    }
    Set<String> required = FlowView.required(demand.path("schema"));
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      parts.add(
          e.getKey()
              + " ("
              + FlowView.type(e.getValue())
              + (required.contains(e.getKey()) ? ", required" : "")
              + ")");
    }
    return String.join(", ", parts);
  }

  /** One reason inline ({@code : comment: say why}); several are listed as detail lines. */
  private static String denialSummary(JsonNode errors) {
    if (!errors.isArray() || errors.isEmpty()) {
      return errors.isMissingNode() ? "" : ": " + compact(errors);
    }
    if (errors.size() == 1) {
      return ": " + fieldError(errors.get(0));
    }
    return " (" + errors.size() + " reasons)";
  }

  private static String fieldError(JsonNode e) {
    if (!e.isObject()) {
      return e.asString(compact(e));
    }
    String field = text(e, "field", "");
    return (field.isEmpty() ? "" : field + ": ") + text(e, "message", "");
  }

  /**
   * {@code " by X"} if the event says who did it, and any other fields it carries in parentheses:
   * {@code " by ada (reason=timeout)"}; empty if it says nothing.
   */
  private static String by(JsonNode d) {
    String by = text(d, "by", null);
    StringBuilder s = new StringBuilder(by == null || by.isBlank() ? "" : " by " + by);
    if (d.isObject()) {
      List<String> other = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : d.properties()) {
        if (!e.getKey().equals("by") && !e.getValue().isNull()) {
          other.add(
              e.getKey()
                  + "="
                  + (e.getValue().isString() ? e.getValue().stringValue() : compact(e.getValue())));
        }
      }
      if (!other.isEmpty()) {
        s.append(" (").append(String.join(", ", other)).append(')');
      }
    }
    return s.toString();
  }

  private static String list(JsonNode array) {
    if (!array.isArray()) {
      return compact(array);
    }
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(n.asString(n.toString())));
    return items.isEmpty() ? "nobody" : String.join(", ", items);
  }

  private static String message(JsonNode d) {
    String m = text(d, "message", null);
    return m != null ? m : text(d, "error", compact(d));
  }

  /** "answer CID to lock LID", from an answer event's data. */
  private static String answerToLock(JsonNode d) {
    return "answer " + text(d, "cid", "?") + " to lock " + text(d, "lid", "?");
  }

  /**
   * A field of an object as text (strings as they are, anything else as JSON), or {@code fallback}.
   */
  static String text(JsonNode object, String field, String fallback) {
    JsonNode v = object == null ? null : object.get(field);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return fallback;
    }
    return v.isString() ? v.stringValue() : v.toString();
  }

  static String compact(JsonNode node) {
    return node == null || node.isMissingNode() ? "" : node.toString();
  }

  static String abbreviate(String s, int max) {
    return Shorten.to(s, max - 1);
  }

  static String time(Instant instant, ZoneId zone) {
    return instant == null ? "" : TIME.format(instant.atZone(zone));
  }
}
