package dev.kodo.agents;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.util.Map;

/**
 * A flow for these tests: one agent with a tool, in an agentic sequence ({@code mode=agentic}) or
 * as a plain {@code AiServices} ({@code mode=service}).
 */
public final class AgenticToolFlow implements Flow {

  /** The agent. */
  public interface Calculator {
    @UserMessage("Compute {{question}} with the tool.")
    @Agent(name = "calculator", description = "Does sums", outputKey = "answer")
    String compute(@V("question") String question);
  }

  /** The same as a plain AI service. */
  public interface Assistant {
    String chat(String question);
  }

  /** The tool. */
  public static final class Adder {
    @Tool("Adds two whole numbers")
    public int add(int a, int b) {
      if (a < 0) {
        throw new IllegalArgumentException("only natural numbers, not " + a);
      }
      return a + b;
    }
  }

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Agentic tool")
        .inputs(Form.builder().text("mode", f -> f.defaultValue("agentic")))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ChatModel model = Models.chat(ctx, "default");
    if (ctx.inputs().text("mode").equals("service")) {
      Assistant assistant =
          AiServices.builder(Assistant.class)
              .chatModel(model)
              .tools(new Adder())
              .afterToolExecution(Models.toolObserver(ctx))
              .build();
      return Result.markdown(assistant.chat("What is 2 + 3?"));
    }
    Calculator calculator =
        AgenticServices.agentBuilder(Calculator.class).chatModel(model).tools(new Adder()).build();
    UntypedAgent sums =
        AgenticServices.sequenceBuilder()
            .name("sums")
            .subAgents(calculator)
            .listener(Models.listener(ctx))
            .outputKey("answer")
            .build();
    return Result.markdown(String.valueOf(sums.invoke(Map.of("question", "2 + 3"))));
  }
}
