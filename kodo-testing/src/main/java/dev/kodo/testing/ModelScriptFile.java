package dev.kodo.testing;

import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@link ScriptedModelServer} script from a JSON file (format in docs/flows.md, "Testing
 * with a scripted model server"). Every mistake is reported with the file and the JSON path of the
 * value (line and column for a syntax error), and nothing is added to the server then.
 */
final class ModelScriptFile {
  private static final long MAX_FILE_BYTES = 4 * 1024 * 1024;
  private static final Set<String> TOP = Set.of("models", "steps", "always");
  private static final Set<String> STEP = Set.of("containing", "model", "times", "reply");
  private static final Set<String> GROUP = Set.of("anyOrder");
  private static final Set<String> REPLY =
      Set.of(
          "text",
          "toolCalls",
          "error",
          "rateLimited",
          "usage",
          "finishReason",
          "delayMs",
          "chunkDelayMs");
  private static final Set<String> TOOL_CALL = Set.of("name", "arguments");
  private static final Set<String> ERROR = Set.of("status", "message");
  private static final Set<String> RATE_LIMITED = Set.of("retryAfterMs");
  private static final Set<String> USAGE = Set.of("input", "output");

  private final Path file;

  private ModelScriptFile(Path file) {
    this.file = file;
  }

  static void load(Path file, ScriptedModelServer server) {
    new ModelScriptFile(file).apply(server);
  }

  /** A script parsed in full before anything reaches the server. */
  private record Script(List<String> models, List<List<ModelStep>> groups, ModelReply always) {}

  private void apply(ScriptedModelServer server) {
    Script script = parse(read());
    server.advertise(script.models().toArray(String[]::new));
    for (List<ModelStep> group : script.groups()) {
      server.expectInAnyOrder(group.toArray(ModelStep[]::new));
    }
    if (script.always() != null) {
      server.always(script.always());
    }
  }

  private JsonNode read() {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw fail("the file is larger than 4 MiB");
      }
      return Json.read(Files.readString(file));
    } catch (JacksonException e) {
      var at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new KodoException(
          "model script " + file + ": " + where + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new KodoException("model script " + file + ": cannot read it: " + e, e);
    }
  }

  private Script parse(JsonNode root) {
    object(root, "(top level)", TOP);
    List<String> models = new ArrayList<>();
    JsonNode names = root.path("models");
    if (!names.isMissingNode()) {
      array(names, "models");
      for (int i = 0; i < names.size(); i++) {
        models.add(string(names.get(i), "models[" + i + "]"));
      }
    }
    JsonNode steps = root.path("steps");
    List<List<ModelStep>> groups = new ArrayList<>();
    if (!steps.isMissingNode()) {
      array(steps, "steps");
      for (int i = 0; i < steps.size(); i++) {
        String at = "steps[" + i + "]";
        JsonNode step = steps.get(i);
        if (step.isObject() && step.has("anyOrder")) {
          object(step, at, GROUP);
          JsonNode members = step.get("anyOrder");
          array(members, at + ".anyOrder");
          if (members.isEmpty()) {
            throw fail(at + ".anyOrder: must hold at least one step");
          }
          List<ModelStep> group = new ArrayList<>();
          for (int j = 0; j < members.size(); j++) {
            group.add(step(members.get(j), at + ".anyOrder[" + j + "]"));
          }
          groups.add(group);
        } else {
          groups.add(List.of(step(step, at)));
        }
      }
    }
    ModelReply always = root.has("always") ? reply(root.get("always"), "always") : null;
    if (groups.isEmpty() && always == null) {
      throw fail(
          "the script has neither \"steps\" nor \"always\": the server would answer nothing");
    }
    return new Script(models, groups, always);
  }

  private ModelStep step(JsonNode node, String at) {
    object(node, at, STEP);
    ModelStep step =
        node.has("containing")
            ? ModelStep.containing(string(node.get("containing"), at + ".containing"))
            : ModelStep.any();
    if (node.has("model")) {
      step = step.model(nonBlank(node.get("model"), at + ".model"));
    }
    if (node.has("times")) {
      step = step.times(integer(node.get("times"), at + ".times", 1, 1_000_000));
    }
    if (!node.has("reply")) {
      throw fail(at + ": \"reply\" is missing");
    }
    return step.reply(reply(node.get("reply"), at + ".reply"));
  }

  private ModelReply reply(JsonNode node, String at) {
    object(node, at, REPLY);
    int kinds =
        (node.has("text") || node.has("toolCalls") ? 1 : 0)
            + (node.has("error") ? 1 : 0)
            + (node.has("rateLimited") ? 1 : 0);
    if (kinds != 1) {
      throw fail(
          at
              + ": a reply has exactly one of \"text\" and/or \"toolCalls\", \"error\","
              + " \"rateLimited\"");
    }
    ModelReply reply;
    if (node.has("error")) {
      JsonNode error = node.get("error");
      object(error, at + ".error", ERROR);
      int status =
          integer(required(error, "status", at + ".error"), at + ".error.status", 400, 599);
      reply =
          ModelReply.error(
              status, string(required(error, "message", at + ".error"), at + ".error.message"));
    } else if (node.has("rateLimited")) {
      JsonNode limited = node.get("rateLimited");
      object(limited, at + ".rateLimited", RATE_LIMITED);
      int ms =
          integer(
              required(limited, "retryAfterMs", at + ".rateLimited"),
              at + ".rateLimited.retryAfterMs",
              0,
              3_600_000);
      reply = ModelReply.rateLimited(Duration.ofMillis(ms));
    } else if (node.has("toolCalls")) {
      JsonNode calls = node.get("toolCalls");
      array(calls, at + ".toolCalls");
      if (calls.isEmpty()) {
        throw fail(at + ".toolCalls: must hold at least one call");
      }
      List<ModelReply.ToolCall> list = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        String c = at + ".toolCalls[" + i + "]";
        JsonNode call = calls.get(i);
        object(call, c, TOOL_CALL);
        String name = nonBlank(required(call, "name", c), c + ".name");
        JsonNode args = call.path("arguments");
        String arguments;
        if (args.isMissingNode()) {
          arguments = "{}";
        } else if (args.isString()) {
          arguments = args.asString();
        } else if (args.isObject()) {
          arguments = Json.write(args);
        } else {
          throw fail(c + ".arguments: must be a JSON object or a string");
        }
        list.add(ModelReply.call(name, arguments));
      }
      reply = ModelReply.toolCalls(list.toArray(ModelReply.ToolCall[]::new));
      if (node.has("text")) {
        reply = reply.withText(string(node.get("text"), at + ".text"));
      }
    } else {
      reply = ModelReply.text(string(node.get("text"), at + ".text"));
    }
    if (node.has("usage")) {
      JsonNode usage = node.get("usage");
      object(usage, at + ".usage", USAGE);
      reply =
          reply.usage(
              integer(required(usage, "input", at + ".usage"), at + ".usage.input", 0, 100_000_000),
              integer(
                  required(usage, "output", at + ".usage"), at + ".usage.output", 0, 100_000_000));
    }
    if (node.has("finishReason")) {
      reply = reply.finishReason(nonBlank(node.get("finishReason"), at + ".finishReason"));
    }
    if (node.has("delayMs")) {
      reply =
          reply.delay(
              Duration.ofMillis(integer(node.get("delayMs"), at + ".delayMs", 0, 3_600_000)));
    }
    if (node.has("chunkDelayMs")) {
      reply =
          reply.chunkDelay(
              Duration.ofMillis(
                  integer(node.get("chunkDelayMs"), at + ".chunkDelayMs", 0, 600_000)));
    }
    return reply;
  }

  private void object(JsonNode node, String at, Set<String> keys) {
    if (!node.isObject()) {
      throw fail(at + ": must be a JSON object");
    }
    for (String key : node.propertyNames()) {
      if (!keys.contains(key)) {
        throw fail(
            at + ": unknown key \"" + key + "\" (known: " + String.join(", ", sorted(keys)) + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private void array(JsonNode node, String at) {
    if (!node.isArray()) {
      throw fail(at + ": must be a JSON array");
    }
  }

  private JsonNode required(JsonNode node, String key, String at) {
    if (!node.has(key)) {
      throw fail(at + ": \"" + key + "\" is missing");
    }
    return node.get(key);
  }

  private String string(JsonNode node, String at) {
    if (!node.isString()) {
      throw fail(at + ": must be a string");
    }
    return node.asString();
  }

  private String nonBlank(JsonNode node, String at) {
    String value = string(node, at);
    if (value.isBlank()) {
      throw fail(at + ": cannot be blank");
    }
    return value;
  }

  private int integer(JsonNode node, String at, int min, int max) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw fail(at + ": must be a whole number");
    }
    int value = node.intValue();
    if (value < min || value > max) {
      throw fail(at + ": must be " + min + " to " + max + ", not " + value);
    }
    return value;
  }

  private KodoException fail(String message) {
    return new KodoException("model script " + file + ": " + message);
  }
}
