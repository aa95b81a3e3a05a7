package dev.kodo.agents.internal;

import dev.kodo.agents.crew.Crew;
import dev.kodo.engine.EngineContext;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import java.util.function.Function;

/**
 * One run of a YAML crew: runs its tasks with its agents as the crew's process says, observed event
 * by event (docs/flows.md#yaml-crews). A new instance serves each run.
 */
public final class CrewFlow implements Flow {
  private final Crew crew;
  private final Function<EngineContext, ModelSource> models;

  /**
   * @param models makes the run's model source from its context ({@code ObservedModels::new} in
   *     production; tests give scripted models)
   */
  public CrewFlow(Crew crew, Function<EngineContext, ModelSource> models) {
    this.crew = crew;
    this.models = models;
  }

  @Override
  public FlowSpec spec() {
    return crew.spec();
  }

  @Override
  public Result run(FlowContext ctx) {
    throw new UnsupportedOperationException("not yet built: " + models + crew.file());
  }
}
