package dev.kodo.agents.internal.tools;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A sub-run's lock demand ({@code {title, markdown, schema, form}}, docs/events.md#locks) remade as
 * a {@link Demand} of the parent run, so that a person answering the parent answers the sub-run
 * (docs/flows.md#how-a-crew-runs): same title, Markdown and fields, and a check that hands each
 * answer to the sub-run — the sub-run's denial, with its reasons per field, is the parent's denial.
 */
public final class RelayedDemand {
  private RelayedDemand() {}

  /**
   * The parent's demand.
   *
   * @param demand the sub-run's demand as its {@code lock} event carries it
   * @param where a short note of where the demand comes from, shown above its Markdown
   * @param relay hands an answer to the sub-run and returns its reasons to deny it (empty when it
   *     accepted)
   */
  public static Demand of(
      JsonNode demand, String where, Function<Map<String, Object>, List<InputError>> relay) {
    String title = demand.path("title").asString("");
    String markdown = demand.path("markdown").asString("");
    return Demand.builder(title.isBlank() ? "A called flow asks for input" : title)
        .markdown("*" + where + "*\n\n" + markdown)
        .form(form(demand.path("schema"), demand.path("form")))
        .check(answer -> relay.apply(plain(answer)))
        .build();
  }

  static Form form(JsonNode schema, JsonNode hints) {
    Map<String, JsonNode> hintByName = new LinkedHashMap<>();
    for (JsonNode h : hints) {
      if (h.has("name")) {
        hintByName.put(h.path("name").asString(""), h);
      }
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(n -> required.add(n.asString("")));
    Form.Builder form = Form.builder();
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      String name = p.getKey();
      JsonNode s = p.getValue();
      JsonNode hint = hintByName.get(name);
      String label =
          hint != null && hint.hasNonNull("label")
              ? hint.path("label").asString()
              : s.path("title").asString(name);
      boolean isRequired = required.contains(name);
      String type = s.path("type").asString("string");
      switch (type) {
        case "boolean" ->
            form.bool(
                name,
                f -> {
                  f.label(label);
                  if (isRequired) f.required();
                });
        case "integer", "number" ->
            form.number(
                name,
                f -> {
                  f.label(label);
                  if (type.equals("integer")) f.integer();
                  if (s.path("minimum").isNumber()) f.min(s.path("minimum").asDouble());
                  if (s.path("maximum").isNumber()) f.max(s.path("maximum").asDouble());
                  if (isRequired) f.required();
                });
        default -> {
          if (s.path("enum").isArray() && !s.path("enum").isEmpty()) {
            List<String> options = new ArrayList<>();
            s.path("enum").forEach(o -> options.add(o.asString("")));
            form.select(
                name,
                f -> {
                  f.label(label).options(options.toArray(String[]::new));
                  if (isRequired) f.required();
                });
          } else if ("date".equals(s.path("format").asString(""))) {
            form.date(
                name,
                f -> {
                  f.label(label);
                  if (isRequired) f.required();
                });
          } else {
            boolean multiline = hint != null && "textarea".equals(hint.path("widget").asString(""));
            java.util.function.Consumer<dev.kodo.sdk.TextField.Builder> spec =
                f -> {
                  f.label(label);
                  if (s.path("minLength").isInt()) f.minLength(s.path("minLength").asInt());
                  if (s.path("maxLength").isInt()) f.maxLength(s.path("maxLength").asInt());
                  if (isRequired) f.required();
                };
            if (multiline) {
              form.longText(name, spec);
            } else {
              form.text(name, spec);
            }
          }
        }
      }
    }
    return form.build();
  }

  private static Map<String, Object> plain(Inputs answer) {
    Map<String, Object> out = new LinkedHashMap<>();
    answer.asMap().forEach((k, v) -> out.put(k, v instanceof LocalDate d ? d.toString() : v));
    return out;
  }
}
