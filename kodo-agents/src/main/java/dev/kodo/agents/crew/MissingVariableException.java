package dev.kodo.agents.crew;

import dev.kodo.client.KodoException;
import java.util.List;
import java.util.Set;

/**
 * A run cannot start because {@code ${VAR}} placeholders name variables that neither the
 * environment nor the node's secrets ({@code kodo.secrets.*}) set. Carries the names only, never a
 * value; a node answers the launch with 400 naming them (docs/http-api.md).
 */
public final class MissingVariableException extends KodoException {
  private final List<String> names;

  public MissingVariableException(Set<String> names) {
    super(
        "set "
            + String.join(", ", names.stream().sorted().toList())
            + " (in the environment or as kodo.secrets.<NAME>) to run this flow");
    this.names = names.stream().sorted().toList();
  }

  /** The missing variables' names, sorted. */
  public List<String> names() {
    return names;
  }
}
