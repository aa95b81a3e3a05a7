package dev.kodo.agents.internal.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

/**
 * The built-in {@code calculator} tool: evaluates one arithmetic expression ({@link Arithmetic}).
 */
public final class Calculator implements CrewTool {
  /** Its name in a crew file. */
  public static final String NAME = "calculator";

  private static final ToolSpecification SPEC =
      ToolSpecification.builder()
          .name(NAME)
          .description(
              "Evaluates an arithmetic expression exactly: numbers, + - * / % ^ and parentheses,"
                  + " e.g. (1200 - 950) / 950 * 100")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty("expression", "the expression to evaluate")
                  .required("expression")
                  .build())
          .build();

  @Override
  public ToolSpecification specification() {
    return SPEC;
  }

  @Override
  public ToolOutcome call(String arguments, String agent) {
    try {
      String expression = ToolArguments.text(ToolArguments.object(arguments), "expression");
      if (expression == null) {
        return ToolOutcome.failed("give the expression to evaluate as 'expression'");
      }
      return ToolOutcome.ok(Arithmetic.format(Arithmetic.evaluate(expression)));
    } catch (IllegalArgumentException e) {
      return ToolOutcome.failed(e.getMessage());
    }
  }
}
