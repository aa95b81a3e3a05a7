package dev.kodo.agents.crew;

import dev.kodo.client.KodoException;
import java.util.List;
import java.util.stream.Collectors;

/** A crew file that cannot be used: every problem found, each with file, line and column. */
public final class CrewException extends KodoException {
  private final List<CrewProblem> problems;

  public CrewException(List<CrewProblem> problems) {
    super(problems.stream().map(CrewProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<CrewProblem> problems() {
    return problems;
  }
}
