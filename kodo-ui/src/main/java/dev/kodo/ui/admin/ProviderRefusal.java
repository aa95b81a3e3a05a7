package dev.kodo.ui.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auth provider refused a change (docs/ui.md#administration): its status, its detail, and its
 * per-field messages keyed by the form control they belong to ({@code roles[1]} is the control
 * {@code roles}), so a page shows each next to its field.
 */
final class ProviderRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final int status;
  private final transient Map<String, String> fields;

  ProviderRefusal(int status, String detail, Map<String, String> fields) {
    super(detail);
    this.status = status;
    this.fields = Map.copyOf(fields);
  }

  /** Reads a problem+json answer; anything else becomes its status with a plain detail. */
  static ProviderRefusal of(int status, String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    String detail = "the auth provider answered " + status;
    try {
      JsonNode problem = JSON.readTree(body == null ? "" : body);
      if (problem != null && problem.isObject()) {
        String d = problem.path("detail").asString("");
        String t = problem.path("title").asString("");
        if (!d.isBlank()) detail = d;
        else if (!t.isBlank()) detail = t;
        for (JsonNode e : problem.path("errors")) {
          String field = control(e.path("field").asString(""));
          if (!field.isEmpty()) fields.merge(field, e.path("message").asString(""), (a, b) -> a);
        }
      }
    } catch (RuntimeException notJson) {
      // an answer that is not a problem document: keep the plain detail
    }
    return new ProviderRefusal(status, detail, fields);
  }

  /** The form control a problem's field names: {@code groups[2]} → {@code groups}. */
  static String control(String field) {
    int bracket = field.indexOf('[');
    return bracket < 0 ? field : field.substring(0, bracket);
  }

  int status() {
    return status;
  }

  /** Messages by control name; empty when the refusal concerns no single field. */
  Map<String, String> fields() {
    return fields;
  }
}
