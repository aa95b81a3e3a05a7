package dev.kodo.ui.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object's top-level members as readable name/value pairs for the run page's inputs/outputs
 * tab: text, numbers and booleans as themselves, anything else as compact JSON. Immutable.
 *
 * @param name the member's name
 * @param value its value as text
 */
public record FieldText(String name, String value) {

  /** The members of {@code object}; empty when it is null or not an object. */
  static List<FieldText> of(JsonNode object) {
    List<FieldText> out = new ArrayList<>();
    if (object == null || !object.isObject()) return out;
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      JsonNode v = e.getValue();
      out.add(new FieldText(e.getKey(), v.isValueNode() ? v.asString("") : v.toString()));
    }
    return out;
  }
}
