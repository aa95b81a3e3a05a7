package dev.kodo.agents.internal.tools;

import dev.kodo.client.Json;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in {@code run_input} tool: the run's own inputs, all of them as a JSON object or one by
 * name as text. Reads nothing but what the run was launched with.
 */
public final class RunInputTool implements CrewTool {
  /** Its name in a crew file. */
  public static final String NAME = "run_input";

  private static final ToolSpecification SPEC =
      ToolSpecification.builder()
          .name(NAME)
          .description(
              "The inputs this run was started with: all of them as JSON, or one by its name")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty("name", "the input's name; all inputs when not given")
                  .build())
          .build();

  private final Map<String, Object> inputs;

  public RunInputTool(Map<String, Object> inputs) {
    Map<String, Object> copy = new LinkedHashMap<>();
    inputs.forEach((k, v) -> copy.put(k, v instanceof LocalDate d ? d.toString() : v));
    this.inputs = copy;
  }

  @Override
  public ToolSpecification specification() {
    return SPEC;
  }

  @Override
  public ToolOutcome call(String arguments, String agent) {
    try {
      String name = ToolArguments.text(ToolArguments.object(arguments), "name");
      if (name == null || name.isBlank()) {
        return ToolOutcome.ok(Json.write(inputs));
      }
      if (!inputs.containsKey(name.strip())) {
        return ToolOutcome.failed(
            "this run has no input named '"
                + (name.length() > 100 ? name.substring(0, 100) + "…" : name)
                + "'"
                + (inputs.isEmpty()
                    ? "; it has no inputs"
                    : "; it has " + String.join(", ", inputs.keySet())));
      }
      return ToolOutcome.ok(String.valueOf(inputs.get(name.strip())));
    } catch (IllegalArgumentException e) {
      return ToolOutcome.failed(e.getMessage());
    }
  }
}
