package dev.kodo.agents.internal;

import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.CrewParser;
import dev.kodo.agents.crew.Placeholders;
import dev.kodo.engine.FlowSource;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.Secrets;
import java.nio.file.Path;
import java.util.List;

/**
 * Offers YAML crews in a node's or {@code koco}'s catalogue (docs/flows.md#serving-crews): reads a
 * {@code .yaml} (or {@code .yml}) file with {@link CrewParser} and makes each run a {@link
 * CrewFlow}. Its launch check names every {@code ${VAR}} without a default that the run's secrets
 * do not set, so that a launch is refused (400) before anything is stored; never a value.
 * Registered in {@code META-INF/services/dev.kodo.engine.FlowSource}. Stateless and thread-safe.
 */
public final class CrewSource implements FlowSource {

  @Override
  public boolean reads(Path file) {
    Path name = file.getFileName();
    return name != null && (name.toString().endsWith(".yaml") || name.toString().endsWith(".yml"));
  }

  /**
   * @throws dev.kodo.agents.crew.CrewException with every problem of the file, each with file, line
   *     and column
   */
  @Override
  public LoadedFlow load(Path file, String path, ClassLoader loader) {
    Crew crew = CrewParser.parse(file);
    return LoadedFlow.of(
        path,
        crew.spec(),
        () -> new CrewFlow(crew, ObservedModels::new),
        crew,
        secrets -> problems(crew, secrets),
        crew.retrySafe());
  }

  /** One message per variable the crew needs and {@code secrets} does not set, sorted by name. */
  static List<String> problems(Crew crew, Secrets secrets) {
    return Placeholders.missing(crew.variables(), secrets).stream()
        .sorted()
        .map(name -> "set " + name + " (in the environment or as kodo.secrets." + name + ")")
        .toList();
  }
}
