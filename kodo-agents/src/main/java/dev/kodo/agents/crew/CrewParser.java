package dev.kodo.agents.crew;

import java.nio.file.Path;

/**
 * Reads a crew file into a {@link Crew}, checking everything that can be checked before a run:
 * unknown keys, missing or wrong-typed values, references to agents, tools or tasks that do not
 * exist, cycles in {@code context}, placeholders that name no input. Reports every problem with
 * file, line and column. Stateless and thread-safe.
 */
public final class CrewParser {
  private CrewParser() {}

  /**
   * Parses and validates the crew in {@code file}.
   *
   * @throws CrewException with every problem found
   */
  public static Crew parse(Path file) {
    throw new UnsupportedOperationException("not yet built");
  }

  /** Parses crew text as if read from {@code file} (used in messages only). */
  public static Crew parse(String text, Path file) {
    throw new UnsupportedOperationException("not yet built");
  }
}
