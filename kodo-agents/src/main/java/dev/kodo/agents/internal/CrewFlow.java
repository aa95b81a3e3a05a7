package dev.kodo.agents.internal;

import dev.kodo.agents.crew.AgentSpec;
import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.LlmSpec;
import dev.kodo.agents.crew.MissingVariableException;
import dev.kodo.agents.crew.Placeholders;
import dev.kodo.engine.EngineContext;
import dev.kodo.engine.Secrets;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import dev.langchain4j.model.chat.ChatModel;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One run of a YAML crew: runs its tasks with its agents as the crew's process says, observed event
 * by event (docs/flows.md#how-a-crew-runs). A new instance serves each run.
 *
 * <p>At the start of a run every model's settings ({@code agent.llm} over the crew's {@code llm};
 * the manager's over the crew's) and every tool definition are resolved against the run's secrets;
 * a variable nobody set ends the run {@code fatal} naming it, never its value. A model call that
 * fails for good ({@link dev.kodo.agents.ModelCallFailedException}) ends the run {@code fatal} with
 * the provider's message.
 */
public final class CrewFlow implements Flow {
  private final Crew crew;
  private final Function<EngineContext, ModelSource> models;
  private final ClassLoader loader;

  /**
   * @param models makes the run's model source from its context ({@code ObservedModels::new} in
   *     production; tests give scripted models)
   */
  public CrewFlow(Crew crew, Function<EngineContext, ModelSource> models) {
    this(crew, models, defaultLoader());
  }

  /**
   * @param loader where {@code type: java} tools' classes are loaded from (the loader of the jars
   *     beside the crew)
   */
  public CrewFlow(Crew crew, Function<EngineContext, ModelSource> models, ClassLoader loader) {
    this.crew = crew;
    this.models = models;
    this.loader = loader;
  }

  @Override
  public FlowSpec spec() {
    return crew.spec();
  }

  @Override
  public Result run(FlowContext flowContext) {
    EngineContext ctx = EngineContext.of(flowContext);
    Secrets secrets = ctx.environment().secrets();
    Map<String, LlmSpec> settings = new LinkedHashMap<>();
    Set<String> missing = new LinkedHashSet<>();
    for (AgentSpec a : crew.agents().values()) {
      resolve(a.id(), a.llm().over(crew.llm()), secrets, settings, missing);
    }
    if (crew.process() == Crew.Process.HIERARCHICAL) {
      LlmSpec manager = crew.manager() == null ? LlmSpec.EMPTY : crew.manager();
      resolve(CrewRun.MANAGER, manager.over(crew.llm()), secrets, settings, missing);
    }
    Toolbox tools;
    try {
      tools = Toolbox.of(crew, ctx, loader, Clock.systemUTC());
    } catch (MissingVariableException e) {
      missing.addAll(e.names());
      tools = null;
    }
    if (!missing.isEmpty()) {
      throw new MissingVariableException(missing);
    }
    ModelSource source = models.apply(ctx);
    Map<String, ChatModel> chat = new LinkedHashMap<>();
    settings.forEach((id, s) -> chat.put(id, source.chat(s, id)));
    return new CrewRun(crew, ctx, chat, tools).run();
  }

  private static void resolve(
      String id,
      LlmSpec spec,
      Secrets secrets,
      Map<String, LlmSpec> settings,
      Set<String> missing) {
    try {
      settings.put(id, Placeholders.resolve(spec, secrets));
    } catch (MissingVariableException e) {
      missing.addAll(e.names());
    }
  }

  private static ClassLoader defaultLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : CrewFlow.class.getClassLoader();
  }
}
