package dev.kodo.engine;

import java.nio.file.Path;

/**
 * Turns a file of a kind the engine itself does not read (a YAML crew, kodo-agents) into a flow the
 * catalogue offers. Found with {@link java.util.ServiceLoader} through the catalogue's class loader
 * ({@code META-INF/services/dev.kodo.engine.FlowSource}), so that kodo-engine knows no framework: a
 * node or {@code koco} offers crews when kodo-agents is on its class path
 * (docs/flows.md#serving-crews). Implementations are stateless and thread-safe.
 */
public interface FlowSource {

  /** Whether this source reads {@code file} (by its name, e.g. it ends with {@code .yaml}). */
  boolean reads(Path file);

  /**
   * Reads the flow in {@code file}.
   *
   * @param path the flow's path in the catalogue (e.g. {@code crews/competitor-analysis})
   * @param loader the class loader the catalogue loads flows with
   * @throws dev.kodo.client.KodoException saying precisely what is wrong (file, line and column
   *     where there are some), never with the value of a secret
   */
  LoadedFlow load(Path file, String path, ClassLoader loader);
}
