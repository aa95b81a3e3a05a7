package dev.kodo.agents.crew;

import java.nio.file.Path;

/**
 * One thing wrong in a crew file, where it is. Prints as {@code file:line:column: message}, lines
 * and columns counting from 1.
 */
public record CrewProblem(Path file, int line, int column, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
