package dev.kodo.agents.internal.tools;

import dev.kodo.client.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads a model's tool arguments (a JSON object text) with errors a model can act on. Stateless.
 */
final class ToolArguments {
  /** Longest argument text a tool reads; a longer one is refused before parsing. */
  static final int MAX_LENGTH = 100_000;

  private ToolArguments() {}

  /**
   * The arguments as a JSON object; blank text is an empty object.
   *
   * @throws IllegalArgumentException with a message for the model if they are not a JSON object
   */
  static JsonNode object(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return Json.mapper().createObjectNode();
    }
    if (arguments.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the arguments are too long ("
              + arguments.length()
              + " characters, at most "
              + MAX_LENGTH
              + ")");
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(arguments);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the arguments are not valid JSON: give a JSON object");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the arguments must be a JSON object");
    }
    return node;
  }

  /** A text argument, or null when absent or null; an error if it is not text. */
  static String text(JsonNode args, String name) {
    JsonNode v = args.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new IllegalArgumentException("'" + name + "' must be a string");
    }
    return v.asString();
  }

  /** An object argument as a map, empty when absent; an error if it is not an object. */
  static Map<String, Object> map(JsonNode args, String name) {
    JsonNode v = args.get(name);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw new IllegalArgumentException("'" + name + "' must be a JSON object");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      out.put(e.getKey(), Json.convert(e.getValue(), Object.class));
    }
    return out;
  }
}
