package dev.kodo.cli;

import dev.kodo.client.FlowInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Shows one flow for people: what it is and the inputs it takes, read from its JSON Schema and form
 * hints, with a {@code koco launch} line to start from. Used by {@code koco flows show} and by
 * {@code koco run} when the inputs do not fit.
 */
final class FlowView {
  private FlowView() {}

  static void print(PrintWriter out, FlowInfo flow) {
    out.println(flow.name() + "  (" + flow.path() + ", release " + flow.release() + ")");
    if (flow.description() != null && !flow.description().isBlank()) {
      out.println(flow.description());
    }
    List<String> facts = new ArrayList<>();
    if (flow.author() != null) {
      facts.add(
          "author: "
              + flow.author()
              + (flow.organization() == null ? "" : " (" + flow.organization() + ")"));
    }
    if (flow.tags() != null && !flow.tags().isEmpty()) {
      facts.add("tags: " + String.join(", ", flow.tags()));
    }
    if (!facts.isEmpty()) {
      out.println(String.join("   ", facts));
    }
    out.println();
    printMarkdownHints(out, flow.form());
    printInputs(out, flow);
    out.println();
    out.println("Launch it:");
    out.println("  koco launch " + flow.path() + example(flow));
  }

  /** The Markdown elements of a form's hints, as text, each followed by a blank line. */
  static void printMarkdownHints(PrintWriter out, JsonNode form) {
    if (form == null) {
      return;
    }
    for (JsonNode hint : form) {
      if ("markdown".equals(EventRenderer.text(hint, "widget", null))) {
        out.println(EventRenderer.text(hint, "text", ""));
        out.println();
      }
    }
  }

  /** The inputs as a table: name, type with its limits, whether required, default, label. */
  static void printInputs(PrintWriter out, FlowInfo flow) {
    printFields(out, "Inputs", flow.schema());
  }

  /**
   * The fields of a JSON Schema object as a table under {@code heading}: name, type with its
   * limits, whether required, default, label. Serves a flow's inputs and a lock's demand.
   */
  static void printFields(PrintWriter out, String heading, JsonNode schema) {
    JsonNode props = schema == null ? null : schema.path("properties");
    if (props == null || !props.isObject() || props.isEmpty()) {
      out.println(heading + ": none");
      return;
    }
    Set<String> required = required(schema);
    Table table = new Table("NAME", "TYPE", "REQUIRED", "DEFAULT", "LABEL");
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      JsonNode p = e.getValue();
      table.row(
          e.getKey(),
          type(p),
          required.contains(e.getKey()) ? "yes" : "no",
          p.has("default") ? EventRenderer.text(p, "default", "") : "",
          EventRenderer.text(p, "title", ""));
    }
    out.println(heading + ":");
    table.print(out, "  ");
  }

  /**
   * A field's type in words: {@code text (2-200 chars)}, {@code integer 1..8}, {@code one of Q1,
   * Q2}.
   */
  static String type(JsonNode p) {
    String type = EventRenderer.text(p, "type", "any");
    if (p.path("enum").isArray()) {
      List<String> values = new ArrayList<>();
      p.path("enum").forEach(v -> values.add(v.isString() ? v.stringValue() : v.toString()));
      return "one of " + String.join(", ", values);
    }
    if ("string".equals(type) && "date".equals(EventRenderer.text(p, "format", null))) {
      return "date (YYYY-MM-DD)";
    }
    return switch (type) {
      case "string" -> "text" + range(p, "minLength", "maxLength", " chars");
      case "integer", "number" -> type + range(p, "minimum", "maximum", "");
      case "boolean" -> "true/false";
      default -> type;
    };
  }

  private static String range(JsonNode p, String minKey, String maxKey, String unit) {
    String min = EventRenderer.text(p, minKey, null);
    String max = EventRenderer.text(p, maxKey, null);
    if (min == null && max == null) {
      return "";
    }
    if (min == null) {
      return " (max " + max + unit + ")";
    }
    if (max == null) {
      return " (min " + min + unit + ")";
    }
    return " (" + min + ".." + max + unit + ")";
  }

  static Set<String> required(JsonNode schema) {
    Set<String> required = new HashSet<>();
    if (schema != null) {
      schema.path("required").forEach(n -> required.add(n.asString("")));
    }
    return required;
  }

  private static String example(FlowInfo flow) {
    return example(flow.schema(), flow.form(), "--input");
  }

  /**
   * {@code OPTION name=…} for each required field of {@code schema}, using its placeholder from the
   * {@code form} hints when it has one.
   */
  static String example(JsonNode schema, JsonNode form, String option) {
    if (schema == null) {
      return "";
    }
    Set<String> required = required(schema);
    StringBuilder s = new StringBuilder();
    for (String name : schema.path("properties").propertyNames()) {
      if (!required.contains(name)) {
        continue;
      }
      String value = placeholder(form, name, schema.path("properties").path(name));
      s.append(' ').append(option).append(' ').append(name).append('=').append(shellQuote(value));
    }
    return s.toString();
  }

  /**
   * The field's placeholder, else an example its type suggests (true, the first option, the
   * minimum), else "…".
   */
  private static String placeholder(JsonNode form, String name, JsonNode property) {
    if (form != null) {
      for (JsonNode hint : form) {
        if (name.equals(EventRenderer.text(hint, "name", null))) {
          String p = EventRenderer.text(hint, "placeholder", null);
          if (p != null && !p.isBlank()) {
            return p.replaceFirst("^e\\.g\\.\\s*", "");
          }
        }
      }
    }
    if (property.path("enum").isArray() && !property.path("enum").isEmpty()) {
      return property.path("enum").get(0).asString("…");
    }
    return switch (EventRenderer.text(property, "type", "")) {
      case "boolean" -> "true";
      case "integer", "number" -> EventRenderer.text(property, "minimum", "1");
      default -> "…";
    };
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_.,:/@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
