package dev.kodo.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A form drawn from a flow's (or a lock demand's) JSON Schema and form hints (docs/ui.md#forms):
 * one control per field, named after the field's key, with its label, help, constraints, the value
 * to show and the server's error for it. {@link #values} turns what a browser posts back into the
 * typed values the schema asks for. Immutable.
 *
 * @param fields the fields and Markdown paragraphs in the hints' order
 * @param errors errors that name no field of the form (shown above it)
 */
public record FormView(List<Control> fields, List<String> errors) {

  /**
   * One element of the form.
   *
   * @param name the field's key, the control's {@code name}
   * @param widget {@code text}, {@code textarea}, {@code number}, {@code checkbox}, {@code select},
   *     {@code date} or {@code markdown}
   * @param text a Markdown paragraph's sanitised HTML (widget {@code markdown})
   * @param value the value to show, as text
   * @param error the server's message for this field, or null
   */
  public record Control(
      String name,
      String widget,
      String label,
      String help,
      String placeholder,
      boolean required,
      String step,
      String min,
      String max,
      String maxLength,
      List<Option> options,
      String text,
      String value,
      String error) {
    public boolean checked() {
      return "true".equals(value);
    }

    public String id() {
      return "f-" + name;
    }
  }

  /** A select's option. */
  public record Option(String value, String label) {}

  /**
   * The form for a schema and hints, showing {@code values} (else each field's default) and the
   * errors by field name.
   */
  public static FormView of(
      JsonNode schema,
      JsonNode hints,
      Map<String, String> values,
      Map<String, String> errors,
      Markdown markdown) {
    List<Control> out = new ArrayList<>();
    Map<String, String> unplaced = new LinkedHashMap<>(errors);
    JsonNode props = schema.path("properties");
    for (JsonNode h : hints) {
      String widget = h.path("widget").asString("text");
      if (widget.equals("markdown")) {
        out.add(
            new Control(
                "",
                "markdown",
                "",
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                List.of(),
                markdown.html(h.path("text").asString("")),
                null,
                null));
        continue;
      }
      String name = h.path("name").asString("");
      JsonNode p = props.path(name);
      List<Option> options = new ArrayList<>();
      for (JsonNode o : h.path("options")) {
        options.add(new Option(o.path("value").asString(""), o.path("label").asString("")));
      }
      String value = values.get(name);
      if (value == null && p.has("default")) value = text(p.get("default"));
      out.add(
          new Control(
              name,
              widget,
              h.path("label").asString(name),
              textOrNull(h.path("help")),
              textOrNull(h.path("placeholder")),
              h.path("required").asBoolean(false),
              textOrNull(h.path("step")),
              first(p, "minimum", "minLength", "formatMinimum"),
              first(p, "maximum", "formatMaximum"),
              textOrNull(p.path("maxLength")),
              options,
              null,
              value == null ? "" : value,
              unplaced.remove(name)));
    }
    List<String> general = new ArrayList<>();
    unplaced.forEach((k, v) -> general.add(k.isEmpty() ? v : k + ": " + v));
    return new FormView(out, general);
  }

  /**
   * The typed values of a posted form: numbers as numbers, a checkbox as true or false, empty
   * controls left out; text that is not a number stays text, so that the schema's own check names
   * the field.
   */
  public static Map<String, Object> values(JsonNode schema, Map<String, String> posted) {
    Map<String, Object> out = new LinkedHashMap<>();
    JsonNode props = schema.path("properties");
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      String name = e.getKey();
      String type = e.getValue().path("type").asString("string");
      String raw = posted.get(name);
      if (type.equals("boolean")) {
        out.put(name, raw != null && (raw.equals("true") || raw.equals("on")));
        continue;
      }
      if (raw == null || raw.isEmpty()) continue;
      out.put(name, typed(type, raw));
    }
    return out;
  }

  /**
   * A posted form's values by name, the last one where a name comes more than once: a checkbox
   * follows a hidden {@code false} of the same name, so that an unchecked box posts false.
   */
  public static Map<String, String> posted(Map<String, List<String>> form) {
    Map<String, String> out = new LinkedHashMap<>();
    form.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) out.put(k, v.get(v.size() - 1));
        });
    return out;
  }

  private static Object typed(String type, String raw) {
    try {
      return switch (type) {
        case "integer" -> Long.parseLong(raw.trim());
        case "number" -> Double.parseDouble(raw.trim());
        default -> raw;
      };
    } catch (NumberFormatException e) {
      return raw;
    }
  }

  private static String first(JsonNode p, String... keys) {
    for (String k : keys) {
      if (p.has(k)) return text(p.get(k));
    }
    return null;
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? null : text(n);
  }

  private static String text(JsonNode n) {
    if (n.isIntegralNumber()) return Long.toString(n.asLong());
    if (n.isNumber()) {
      double d = n.asDouble();
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
    return n.asString("");
  }
}
