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
 * launch — and the same kind of arguments into other sets of named values ({@code koco lock
 * --data}, {@code koco run --answer}). Values from {@code name=value} pairs stay text (the form
 * they are checked against converts numbers, booleans and dates); they replace those of the JSON
 * object; a name given twice in pairs is an error.
 */
final class InputArgs {
  /**
   * How the options are called in messages: the pair option, the JSON option, an example pair, an
   * example JSON object, and what one value is called.
   */
  record Names(
      String pairOption, String jsonOption, String examplePair, String exampleJson, String what) {}

  static final Names INPUTS =
      new Names(
          "--input",
          "--inputs-json",
          "topic=\"heat pumps\"",
          "{\"topic\":\"heat pumps\",\"steps\":3}",
          "input");
  static final Names DATA =
      new Names(
          "--data",
          "--json-data",
          "approve=true",
          "{\"approve\":true,\"comment\":\"fine\"}",
          "value");
  static final Names ANSWERS = new Names("--answer", null, "approve=true", null, "answer");

  private InputArgs() {}

  /**
   * @param pairs the {@code --input} values, each {@code name=value} (the value is everything after
   *     the first {@code =}, and may be empty)
   * @param json a JSON object, {@code @FILE} naming a file that holds one, or null
   * @throws CliException with {@link Exit#USAGE} naming the bad argument
   */
  static Map<String, Object> parse(List<String> pairs, String json) {
    return parse(pairs, json, INPUTS);
  }

  /** {@link #parse(List, String)} for options called as {@code names} says. */
  static Map<String, Object> parse(List<String> pairs, String json, Names names) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    if (json != null) {
      inputs.putAll(object(json, names));
    }
    String opt = names.pairOption();
    String example = " (e.g. " + opt + " " + names.examplePair() + ")";
    Map<String, String> given = new LinkedHashMap<>();
    for (String pair : pairs == null ? List.<String>of() : pairs) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw CliException.usage(opt + " '" + pair + "' is not name=value" + example);
      }
      String name = pair.substring(0, eq);
      if (name.isBlank()) {
        throw CliException.usage(opt + " '" + pair + "' has no name before '='" + example);
      }
      String value = pair.substring(eq + 1);
      if (given.putIfAbsent(name, value) != null) {
        throw CliException.usage(
            names.what()
                + " '"
                + name
                + "' is given twice ("
                + opt
                + " "
                + name
                + "="
                + given.get(name)
                + " and "
                + opt
                + " "
                + pair
                + "); give each "
                + names.what()
                + " once");
      }
      inputs.put(name, value);
    }
    return inputs;
  }

  private static Map<String, Object> object(String json, Names names) {
    String text = json;
    String source = names.jsonOption();
    if (json.startsWith("@")) {
      Path file = Path.of(json.substring(1));
      source = names.jsonOption() + " file " + file;
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
      throw CliException.usage(source + " must be a JSON object such as " + names.exampleJson());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      values.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class));
    }
    return values;
  }
}
