package dev.kodo.agents.crew;

import dev.kodo.agents.crew.CrewNodes.Entry;
import dev.kodo.sdk.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A crew's {@code inputs:} as the SDK's own {@link Form}, so a crew's JSON Schema is exactly like a
 * Java flow's (docs/flows.md#yaml-crews). Each input is a JSON-Schema-style mapping ({@code type},
 * {@code title}, {@code description}, {@code required}, {@code default}, {@code minimum}, {@code
 * maximum}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code enum}) plus the form
 * hints {@code multiline}, {@code placeholder} and {@code format: date}; the SDK's builders check
 * the constraints and the default against them. Stateless.
 */
final class CrewInputs {
  static final List<String> KEYS =
      List.of(
          "type",
          "title",
          "description",
          "required",
          "default",
          "minimum",
          "maximum",
          "minLength",
          "maxLength",
          "pattern",
          "enum",
          "multiline",
          "placeholder",
          "format");

  static final List<String> TYPES = List.of("string", "integer", "number", "boolean", "enum");

  private static final Set<String> NUMERIC = Set.of("minimum", "maximum");
  private static final Set<String> TEXTUAL =
      Set.of("minLength", "maxLength", "pattern", "multiline", "format");

  private CrewInputs() {}

  /**
   * The form of {@code inputs:} (absent: no inputs); problems go to {@code nodes}, the names
   * declared (valid or not) to {@code declared}.
   */
  static Form read(Node inputs, CrewNodes nodes, Set<String> declared) {
    Form.Builder form = Form.builder();
    if (inputs == null || CrewNodes.isNull(inputs)) {
      return form.build();
    }
    Map<String, Entry> byName = nodes.namedMapping(inputs, "inputs");
    if (byName == null) {
      return form.build();
    }
    for (Map.Entry<String, Entry> e : byName.entrySet()) {
      declared.add(e.getKey()); // even when it has a problem: no second one for its placeholders
      input(form, e.getKey(), e.getValue(), nodes);
    }
    return form.build();
  }

  private static void input(Form.Builder form, String name, Entry entry, CrewNodes nodes) {
    String where = "inputs." + name;
    Node value = entry.value();
    Map<String, Entry> keys;
    if (value instanceof ScalarNode && !CrewNodes.isNull(value)) {
      keys = Map.of("type", new Entry(entry.key(), value)); // company: string
    } else if (CrewNodes.isNull(value)) {
      keys = Map.of(); // company:            (a text input)
    } else {
      keys = nodes.mapping(value, where, KEYS);
      if (keys == null) {
        return;
      }
    }
    int before = nodes.problems().size();
    String type = keys.containsKey("enum") ? "enum" : "string";
    Entry typeEntry = keys.get("type");
    if (typeEntry != null) {
      String t = nodes.text(typeEntry.value(), where + ".type");
      if (t != null && !TYPES.contains(t)) {
        String close = CrewNodes.closest(t, TYPES);
        nodes.problem(
            typeEntry.value(),
            where
                + ".type '"
                + CrewNodes.shorten(t)
                + "' is not one of "
                + String.join(", ", TYPES)
                + (close == null ? "" : " (did you mean '" + close + "'?)"));
        return;
      }
      if (t == null) {
        return;
      }
      type = t;
    }
    boolean isEnum = type.equals("enum") || keys.containsKey("enum");
    if (isEnum && !(type.equals("enum") || type.equals("string"))) {
      nodes.problem(
          keys.get("enum").key(),
          where + ".enum applies to string inputs only, not to " + type + " inputs");
      return;
    }
    if (type.equals("enum") && !keys.containsKey("enum")) {
      nodes.problem(
          typeEntry.value(), where + " has type enum but no 'enum: [...]' list of values");
      return;
    }
    for (Map.Entry<String, Entry> k : keys.entrySet()) {
      boolean numeric = type.equals("integer") || type.equals("number");
      boolean textual = type.equals("string") && !isEnum;
      if ((NUMERIC.contains(k.getKey()) && !numeric)
          || (TEXTUAL.contains(k.getKey()) && !textual)) {
        nodes.problem(
            k.getValue().key(),
            where
                + "."
                + k.getKey()
                + " does not apply to "
                + (isEnum ? "enum" : type)
                + " inputs");
      }
    }
    if (nodes.problems().size() > before) {
      return;
    }
    String title = optionalText(keys, "title", where, nodes);
    String description = optionalText(keys, "description", where, nodes);
    String placeholder = optionalText(keys, "placeholder", where, nodes);
    Boolean required =
        keys.containsKey("required")
            ? nodes.bool(keys.get("required").value(), where + ".required")
            : Boolean.FALSE;
    Object defaultValue = null;
    Entry def = keys.get("default");
    if (def != null && !CrewNodes.isNull(def.value())) {
      defaultValue = defaultValue(type, isEnum, def.value(), where + ".default", nodes);
    }
    if (nodes.problems().size() > before) {
      return;
    }
    Object dv = defaultValue;
    boolean req = Boolean.TRUE.equals(required);
    try {
      if (isEnum) {
        List<String> values = enumValues(keys.get("enum"), where, nodes);
        if (values == null) {
          return;
        }
        form.select(
            name,
            f -> {
              f.options(values.toArray(String[]::new));
              common(f, title, description, placeholder, dv, req);
            });
      } else if (type.equals("string")) {
        Integer minLength = optionalWhole(keys, "minLength", where, nodes);
        Integer maxLength = optionalWhole(keys, "maxLength", where, nodes);
        String pattern = optionalText(keys, "pattern", where, nodes);
        Boolean multiline =
            keys.containsKey("multiline")
                ? nodes.bool(keys.get("multiline").value(), where + ".multiline")
                : Boolean.FALSE;
        String format = optionalText(keys, "format", where, nodes);
        if (format != null && !format.equals("date")) {
          nodes.problem(
              keys.get("format").value(),
              where + ".format '" + CrewNodes.shorten(format) + "' is not supported (only: date)");
        }
        if (nodes.problems().size() > before) {
          return;
        }
        if ("date".equals(format)) {
          if (minLength != null || maxLength != null || pattern != null) {
            nodes.problem(
                entry.key(), where + ": a date input takes no minLength, maxLength or pattern");
            return;
          }
          form.date(name, f -> common(f, title, description, placeholder, dv, req));
        } else if (Boolean.TRUE.equals(multiline)) {
          form.longText(
              name,
              f -> {
                common(f, title, description, placeholder, dv, req);
                textConstraints(f, minLength, maxLength, pattern);
              });
        } else {
          form.text(
              name,
              f -> {
                common(f, title, description, placeholder, dv, req);
                textConstraints(f, minLength, maxLength, pattern);
              });
        }
      } else if (type.equals("boolean")) {
        form.bool(name, f -> common(f, title, description, placeholder, dv, req));
      } else {
        Double min =
            keys.containsKey("minimum")
                ? nodes.number(keys.get("minimum").value(), where + ".minimum")
                : null;
        Double max =
            keys.containsKey("maximum")
                ? nodes.number(keys.get("maximum").value(), where + ".maximum")
                : null;
        if (nodes.problems().size() > before) {
          return;
        }
        boolean integer = type.equals("integer");
        form.number(
            name,
            f -> {
              common(f, title, description, placeholder, dv, req);
              if (integer) {
                f.integer();
              }
              if (min != null) {
                f.min(min);
              }
              if (max != null) {
                f.max(max);
              }
            });
      }
    } catch (IllegalArgumentException e) {
      // The SDK's own checks: the name's shape, contradicting bounds, a bad pattern, a default
      // that does not fit. Point at the default when it is the default that fails.
      String message = e.getMessage() == null ? "is not valid" : e.getMessage();
      Node at = message.startsWith("default of") && def != null ? def.value() : entry.key();
      if (message.contains("bad pattern") && keys.containsKey("pattern")) {
        at = keys.get("pattern").value();
      }
      nodes.problem(at, where + ": " + message);
    }
  }

  private static <B extends dev.kodo.sdk.Field.Builder<B>> void common(
      B f, String title, String description, String placeholder, Object dv, boolean required) {
    f.label(title).description(description).placeholder(placeholder).defaultValue(dv);
    if (required) {
      f.required();
    }
  }

  private static void textConstraints(
      dev.kodo.sdk.TextField.Builder f, Integer minLength, Integer maxLength, String pattern) {
    if (minLength != null) {
      f.minLength(minLength);
    }
    if (maxLength != null) {
      f.maxLength(maxLength);
    }
    if (pattern != null) {
      f.pattern(pattern);
    }
  }

  private static List<String> enumValues(Entry entry, String where, CrewNodes nodes) {
    List<Node> items = nodes.list(entry.value(), where + ".enum");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      nodes.problem(entry.value(), where + ".enum needs at least one value");
      return null;
    }
    List<String> values = new ArrayList<>();
    boolean ok = true;
    for (Node item : items) {
      String v = nodes.text(item, where + ".enum value");
      if (v == null) {
        ok = false;
      } else if (values.contains(v)) {
        nodes.problem(item, where + ".enum lists '" + CrewNodes.shorten(v) + "' twice");
        ok = false;
      } else {
        values.add(v);
      }
    }
    return ok ? values : null;
  }

  /** The default in the Java type the SDK's field checks: text, a number or a boolean. */
  private static Object defaultValue(
      String type, boolean isEnum, Node node, String where, CrewNodes nodes) {
    if (isEnum || type.equals("string")) {
      return nodes.text(node, where);
    }
    if (type.equals("boolean")) {
      return nodes.bool(node, where);
    }
    if (type.equals("integer")) {
      if (node instanceof ScalarNode s && s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.INT)) {
        try {
          return Long.parseLong(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
          nodes.problem(node, where + " must be a whole number, not '" + s.getValue() + "'");
          return null;
        }
      }
      nodes.problem(node, where + " must be a whole number, not " + CrewNodes.describe(node));
      return null;
    }
    return nodes.number(node, where);
  }

  private static String optionalText(
      Map<String, Entry> keys, String key, String where, CrewNodes nodes) {
    Entry e = keys.get(key);
    return e == null || CrewNodes.isNull(e.value())
        ? null
        : nodes.text(e.value(), where + "." + key);
  }

  private static Integer optionalWhole(
      Map<String, Entry> keys, String key, String where, CrewNodes nodes) {
    Entry e = keys.get(key);
    return e == null ? null : nodes.whole(e.value(), where + "." + key, 0, Integer.MAX_VALUE);
  }
}
