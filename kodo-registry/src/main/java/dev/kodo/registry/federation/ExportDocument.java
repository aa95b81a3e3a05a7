package dev.kodo.registry.federation;

import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.StoredNode;
import java.time.Instant;
import java.util.List;

/**
 * What a registry exports to its peers ({@code GET /registry/export}) and pushes to its consumers
 * ({@code PUT /registry/import}): its visible nodes, local and from peers, each with its origin and
 * path.
 *
 * @param registry the exporting registry's name
 * @param exported when the export was made
 * @param nodes the nodes with their visible flows
 */
public record ExportDocument(String registry, Instant exported, List<StoredNode> nodes) {

  static ExportDocument of(Registry registry, Instant now) {
    return new ExportDocument(registry.name(), now, registry.export());
  }
}
