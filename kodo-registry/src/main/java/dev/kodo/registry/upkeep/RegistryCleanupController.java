package dev.kodo.registry.upkeep;

import dev.kodo.registry.RegistryProperties;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.web.Periodic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stale nodes (docs/http-api.md#upkeep-and-federation): local nodes silent for longer than {@code
 * kodo.registry.stale-after} (default 7 days) are removed with everything they announced — every
 * {@code kodo.registry.cleanup-interval} on their own, or at once with {@code POST
 * /registry/cleanup} (operators only, as the preview).
 */
@RestController("registryCleanupController")
class RegistryCleanupController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryCleanupController.class);
  private final Registry registry;
  private final RegistryProperties properties;
  private final Periodic periodic;

  RegistryCleanupController(Registry registry, RegistryProperties properties) {
    this.registry = registry;
    this.properties = properties;
    this.periodic =
        Periodic.every(
            "kodo-registry-cleanup",
            properties.getCleanupInterval(),
            () -> {
              List<String> removed = registry.removeStale();
              if (!removed.isEmpty())
                log.info("removed {} stale node(s): {}", removed.size(), removed);
            });
  }

  /** What a cleanup would remove now: {@code {staleAfter (seconds), nodes:[names]}}. */
  @GetMapping("/registry/cleanup")
  Map<String, Object> preview() {
    RegistryAccess.operator("preview a cleanup");
    return answer("nodes", registry.stale());
  }

  /** Removes the stale nodes now: {@code {staleAfter, removed:[names]}}. */
  @PostMapping("/registry/cleanup")
  Map<String, Object> cleanup() {
    RegistryAccess.operator("clean up");
    return answer("removed", registry.removeStale());
  }

  private Map<String, Object> answer(String key, List<String> nodes) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("staleAfter", properties.getStaleAfter().toSeconds());
    out.put(key, nodes);
    return out;
  }

  @Override
  public void close() {
    periodic.close();
  }
}
