package dev.kodo.engine;

import java.util.Map;

/**
 * What a host (a worker, {@code koco run}, a test) gives every run beyond its inputs: the secrets
 * that {@code ${VAR}} placeholders resolve against, and the engine settings of the agentic engine
 * ({@code kodo.agents.*} flattened, e.g. {@code models.default.provider}; docs/configuration.md).
 *
 * @param secrets where placeholders are resolved
 * @param settings engine settings, keys relative to {@code kodo.agents.}
 */
public record RunEnvironment(Secrets secrets, Map<String, String> settings) {

  /** The process environment as secrets, no engine settings. */
  public static final RunEnvironment PROCESS = new RunEnvironment(Secrets.environment(), Map.of());

  public RunEnvironment {
    settings = Map.copyOf(settings);
  }
}
