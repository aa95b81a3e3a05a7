package dev.kodo.cli;

import dev.kodo.client.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns {@code --inputs-json} and {@code --input name=value} arguments into the raw inputs of a
 * launch. Values from {@code --input} stay text (the flow's form converts numbers, booleans and
 * dates); {@code --input} values replace those of the JSON object; a name given twice with
 * {@code --input} is an error.
 */
final class InputArgs {
  private InputArgs() {}

  /**
   * @param pairs the {@code --input} values, each {@code name=value} (the value is everything
   *     after the first {@code =}, and may be empty)
   * @param json a JSON object, {@code @FILE} naming a file that holds one, or null
   * @throws CliException with {@link Exit#USAGE} naming the bad argument
   */
  static Map<String, Object> parse(List<String> pairs, String json) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    if (json != null) {
      inputs.putAll(object(json));
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (String pair : pairs == null ? List.<String>of() : pairs) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw CliException.usage("--input '" + pair + "' is not name=value (e.g. --input topic=\"heat pumps\")");
      }
      String name = pair.substring(0, eq);
      if (name.isBlank()) {
        throw CliException.usage("--input '" + pair + "' has no name before '=' (e.g. --input topic=\"heat pumps\")");
      }
      String value = pair.substring(eq + 1);
      if (given.putIfAbsent(name, value) != null) {
        throw CliException.usage("input '" + name + "' is given twice (--input " + name + "=" + given.get(name)
            + " and --input " + pair + "); give each input once");
      }
      inputs.put(name, value);
    }
    return inputs;
  }

  private static Map<String, Object> object(String json) {
    String text = json;
    String source = "--inputs-json";
    if (json.startsWith("@")) {
      Path file = Path.of(json.substring(1));
      source = "--inputs-json file " + file;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw CliException.usage("cannot read " + source + ": " + e.getMessage());
      }
    }
    JsonNode node;
    try {
      node = Json.read(text);
    } catch (JacksonException e) {
      throw CliException.usage(source + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw CliException.usage(source + " must be a JSON object such as {\"topic\":\"heat pumps\",\"steps\":3}");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      values.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class));
    }
    return values;
  }
}
