package dev.kodo.client;

/** A node or a registry answered with an error; {@link #problem()} is what it said. */
public final class NodeException extends KodoException {
  private final Problem problem;

  public NodeException(Problem problem) {
    super(describe(problem), problem.status() >= 500 || problem.status() == 429, null);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }

  private static String describe(Problem p) {
    StringBuilder s =
        new StringBuilder()
            .append(p.status())
            .append(' ')
            .append(p.title() == null ? "" : p.title());
    if (p.detail() != null && !p.detail().isBlank()) {
      s.append(": ").append(p.detail());
    }
    for (Problem.FieldError e : p.errors()) {
      s.append("\n  ").append(e.field()).append(": ").append(e.message());
    }
    return s.toString();
  }
}
