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
 * Shows one flow for people: what it is and the inputs it takes, read from its JSON Schema and
 * form hints, with a {@code koco launch} line to start from. Used by {@code koco flows show} and
 * by {@code koco run} when the inputs do not fit.
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
      facts.add("author: " + flow.author() + (flow.organization() == null ? "" : " (" + flow.organization() + ")"));
    }
    if (flow.tags() != null && !flow.tags().isEmpty()) {
      facts.add("tags: " + String.join(", ", flow.tags()));
    }
    if (!facts.isEmpty()) {
      out.println(String.join("   ", facts));
    }
    out.println();
    if (flow.form() != null) {
      for (JsonNode hint : flow.form()) {
        if ("markdown".equals(EventRenderer.text(hint, "widget", null))) {
          out.println(EventRenderer.text(hint, "text", ""));
          out.println();
        }
      }
    }
    printInputs(out, flow);
    out.println();
    out.println("Launch it:");
    out.println("  koco launch " + flow.path() + example(flow));
  }

  /** The inputs as a table: name, type with its limits, whether required, default, label. */
  static void printInputs(PrintWriter out, FlowInfo flow) {
    JsonNode props = flow.schema() == null ? null : flow.schema().path("properties");
    if (props == null || !props.isObject() || props.isEmpty()) {
      out.println("Inputs: none");
      return;
    }
    Set<String> required = required(flow);
    Table table = new Table("NAME", "TYPE", "REQUIRED", "DEFAULT", "LABEL");
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      JsonNode p = e.getValue();
      table.row(e.getKey(), type(p), required.contains(e.getKey()) ? "yes" : "no",
          p.has("default") ? EventRenderer.text(p, "default", "") : "", EventRenderer.text(p, "title", ""));
    }
    out.println("Inputs:");
    table.print(out, "  ");
  }

  /** A field's type in words: {@code text (2-200 chars)}, {@code integer 1..8}, {@code one of Q1, Q2}. */
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

  private static Set<String> required(FlowInfo flow) {
    Set<String> required = new HashSet<>();
    flow.schema().path("required").forEach(n -> required.add(n.asString("")));
    return required;
  }

  /** {@code --input name=…} for each required input, using its placeholder when it has one. */
  private static String example(FlowInfo flow) {
    if (flow.schema() == null) {
      return "";
    }
    Set<String> required = required(flow);
    StringBuilder s = new StringBuilder();
    for (String name : flow.schema().path("properties").propertyNames()) {
      if (!required.contains(name)) {
        continue;
      }
      String value = placeholder(flow, name);
      s.append(" --input ").append(name).append('=').append(shellQuote(value));
    }
    return s.toString();
  }

  private static String placeholder(FlowInfo flow, String name) {
    if (flow.form() != null) {
      for (JsonNode hint : flow.form()) {
        if (name.equals(EventRenderer.text(hint, "name", null))) {
          String p = EventRenderer.text(hint, "placeholder", null);
          if (p != null && !p.isBlank()) {
            return p.replaceFirst("^e\\.g\\.\\s*", "");
          }
        }
      }
    }
    return "…";
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_.,:/@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
