package dev.kodo.engine;

import dev.kodo.client.Check;
import dev.kodo.client.TokenSupplier;
import java.util.Map;

/**
 * What a host (a worker, {@code koco run}, a test) gives every run beyond its inputs: the secrets
 * that {@code ${VAR}} placeholders resolve against, the engine settings of the agentic engine
 * ({@code kodo.agents.*} flattened, e.g. {@code models.default.provider}; docs/configuration.md),
 * and the bearer token the run's calls to other nodes carry ({@code kodo_flow}; on a node, the
 * node's own identity {@code node:{name}}, docs/security.md#the-node-calling-other-nodes).
 *
 * @param secrets where placeholders are resolved
 * @param settings engine settings, keys relative to {@code kodo.agents.}
 * @param token the token for calls to other nodes at the moment of the call; {@link
 *     TokenSupplier#NONE} sends none
 */
public record RunEnvironment(Secrets secrets, Map<String, String> settings, TokenSupplier token) {

  /** The process environment as secrets, no engine settings, no token. */
  public static final RunEnvironment PROCESS = new RunEnvironment(Secrets.environment(), Map.of());

  public RunEnvironment {
    settings = Map.copyOf(settings);
    Check.notNull(token, "token");
  }

  /** Secrets and settings; calls to other nodes carry no token. */
  public RunEnvironment(Secrets secrets, Map<String, String> settings) {
    this(secrets, settings, TokenSupplier.NONE);
  }

  /** This environment with calls to other nodes carrying what {@code token} gives. */
  public RunEnvironment withToken(TokenSupplier token) {
    return new RunEnvironment(secrets, settings, token);
  }
}
