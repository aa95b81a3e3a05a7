package dev.kodo.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Shows a lock's demand for people — its title, its Markdown as text and the fields it asks for
 * (the same table {@code koco flows show} prints for a flow's inputs) — and reads the fields out of
 * it for {@link LockPrompt}. A lock is {@code {lid, demand:{title, markdown, schema, form},
 * expires}}: the data of a {@code lock} event, the {@code lock} of a run document, and what {@code
 * GET /api/runs/{fid}/locks/{lid}} answers.
 */
final class LockView {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private LockView() {}

  /** One field a demand asks for, from its schema property and form hint. */
  record FormField(
      String name,
      String label,
      JsonNode schema,
      boolean required,
      String help,
      List<Option> options) {
    String type() {
      return EventRenderer.text(schema, "type", "string");
    }

    boolean isBoolean() {
      return "boolean".equals(type());
    }

    boolean isNumber() {
      return "integer".equals(type()) || "number".equals(type());
    }

    JsonNode defaultValue() {
      JsonNode d = schema.get("default");
      return d == null || d.isNull() ? null : d;
    }
  }

  /** One choice of a select field. */
  record Option(String value, String label) {}

  /** The lock's id, or "?" if it has none. */
  static String lid(JsonNode lock) {
    return EventRenderer.text(lock, "lid", "?");
  }

  /** The fields of a lock's demand, in the order of its form (then any the form does not place). */
  static List<FormField> fields(JsonNode lock) {
    JsonNode demand = lock.path("demand");
    JsonNode props = demand.path("schema").path("properties");
    Set<String> required = FlowView.required(demand.path("schema"));
    Map<String, JsonNode> hints = new LinkedHashMap<>();
    for (JsonNode hint : demand.path("form")) {
      String name = EventRenderer.text(hint, "name", null);
      if (name != null && props.has(name)) {
        hints.put(name, hint);
      }
    }
    List<String> order = new ArrayList<>(hints.keySet());
    for (String name : props.propertyNames()) {
      if (!hints.containsKey(name)) {
        order.add(name);
      }
    }
    List<FormField> fields = new ArrayList<>();
    for (String name : order) {
      JsonNode p = props.get(name);
      JsonNode hint = hints.get(name);
      String label = EventRenderer.text(hint, "label", EventRenderer.text(p, "title", name));
      String help = EventRenderer.text(hint, "help", EventRenderer.text(p, "description", null));
      List<Option> options = new ArrayList<>();
      if (hint != null && hint.path("options").isArray()) {
        for (JsonNode o : hint.path("options")) {
          String value = o.isObject() ? EventRenderer.text(o, "value", "") : o.asString("");
          options.add(
              new Option(value, o.isObject() ? EventRenderer.text(o, "label", value) : value));
        }
      } else if (p.path("enum").isArray()) {
        p.path("enum")
            .forEach(
                v -> options.add(new Option(v.asString(v.toString()), v.asString(v.toString()))));
      }
      boolean req =
          required.contains(name) || hint != null && hint.path("required").asBoolean(false);
      fields.add(new FormField(name, label, p, req, help, List.copyOf(options)));
    }
    return fields;
  }

  /** The demand in full: title, which lock of which run and until when, Markdown, fields. */
  static void print(PrintWriter out, JsonNode lock, String fid, ZoneId zone) {
    JsonNode demand = lock.path("demand");
    out.println(EventRenderer.text(demand, "title", "(untitled demand)"));
    out.println("lock " + lid(lock) + " of run " + fid + until(lock, zone, ", open until "));
    String markdown = EventRenderer.text(demand, "markdown", "").strip();
    out.println();
    if (!markdown.isEmpty()) {
      out.println(markdown);
      out.println();
    }
    FlowView.printMarkdownHints(out, demand.path("form"));
    FlowView.printFields(out, "Fields", demand.path("schema"));
    out.flush();
  }

  /** A {@code koco lock} line that answers the lock, with each required field to fill in. */
  static String answerLine(String fid, JsonNode lock) {
    JsonNode demand = lock.path("demand");
    return "koco lock "
        + fid
        + FlowView.example(demand.path("schema"), demand.path("form"), "--data");
  }

  /** {@code prefix} and when the lock expires in {@code zone}, or "" if it does not say. */
  static String until(JsonNode lock, ZoneId zone, String prefix) {
    String expires = EventRenderer.text(lock, "expires", null);
    if (expires == null) {
      return "";
    }
    try {
      return prefix + WHEN.format(Instant.parse(expires).atZone(zone));
    } catch (DateTimeParseException notAnInstant) {
      return prefix + expires;
    }
  }
}
