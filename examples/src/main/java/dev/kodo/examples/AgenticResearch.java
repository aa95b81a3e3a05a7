package dev.kodo.examples;

import dev.kodo.agents.Models;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.util.Map;

/**
 * A Java flow built with {@code langchain4j-agentic}: a sequence of two agents, a researcher that
 * gathers facts about a topic and a writer that turns them into a short report. Kodo gives it the
 * configured model ({@code kodo.agents.models.default.*}, by default OpenAI's gpt-4o-mini with
 * {@code OPENAI_API_KEY}) and observes it through the framework's listener: every agent's start and
 * finish and every model call (tokens, latency) is an event of the run, without a line of event
 * code here (docs/flows.md#langchain4j-in-a-java-flow).
 */
public final class AgenticResearch implements Flow {

  /** Gathers facts. */
  public interface Researcher {
    @UserMessage(
        """
        You are a careful market researcher. List five short, verifiable facts about {{topic}},
        one per line, without commentary.""")
    @Agent(name = "researcher", description = "Finds facts about a topic", outputKey = "facts")
    String research(@V("topic") String topic);
  }

  /** Writes the report. */
  public interface Writer {
    @UserMessage(
        """
        You are a clear technical writer. Write a short Markdown report about {{topic}}, with a
        title and three paragraphs, based only on these facts:
        {{facts}}""")
    @Agent(name = "writer", description = "Writes a short report from facts", outputKey = "report")
    String write(@V("topic") String topic, @V("facts") String facts);
  }

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Agentic research")
        .description(
            "A researcher agent gathers facts, a writer agent turns them into a report"
                + " (LangChain4j agentic sequence, observed by Kodo). Needs an OpenAI API key.")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.0.0")
        .tags("example", "agents", "langchain4j")
        .inputs(
            Form.builder()
                .text(
                    "topic",
                    f ->
                        f.label("Topic")
                            .required()
                            .minLength(2)
                            .maxLength(200)
                            .placeholder("e.g. heat pumps in old buildings")))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ChatModel model = Models.chat(ctx, "default");
    Researcher researcher = AgenticServices.agentBuilder(Researcher.class).chatModel(model).build();
    Writer writer = AgenticServices.agentBuilder(Writer.class).chatModel(model).build();
    UntypedAgent research =
        AgenticServices.sequenceBuilder()
            .name("research")
            .subAgents(researcher, writer)
            .listener(Models.listener(ctx))
            .outputKey("report")
            .build();
    Object report = research.invoke(Map.of("topic", ctx.inputs().text("topic")));
    return Result.markdown(String.valueOf(report));
  }
}
