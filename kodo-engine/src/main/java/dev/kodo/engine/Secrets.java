package dev.kodo.engine;

import java.util.Map;
import java.util.Optional;

/**
 * Where a run's {@code ${VAR}} placeholders get their values: the process environment and the
 * node's secret configuration ({@code kodo.secrets.*}, docs/configuration.md). Values never go into
 * an event, a log line or a problem; only the names of missing ones do.
 */
@FunctionalInterface
public interface Secrets {

  /** The value named {@code name}, if set. */
  Optional<String> get(String name);

  /** The process environment. */
  static Secrets environment() {
    return name -> Optional.ofNullable(System.getenv(name));
  }

  /** Fixed values, e.g. the node's {@code kodo.secrets.*}. */
  static Secrets of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /** These values, and where one is missing, {@code fallback}'s. */
  default Secrets orElse(Secrets fallback) {
    return name -> get(name).or(() -> fallback.get(name));
  }
}
