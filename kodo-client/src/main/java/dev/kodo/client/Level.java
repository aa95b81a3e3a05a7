package dev.kodo.client;

/**
 * How much of a run a caller may see (docs/events.md#levels). Each level includes the ones before
 * it.
 */
public enum Level {
  BASIC,
  ADVANCED,
  FULL;

  public boolean includes(Level other) {
    return compareTo(other) >= 0;
  }
}
