package dev.kodo.registry.nodes;

import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.RegistryIndex;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The registry's own state: its name and how many nodes (online) and flows it knows. */
@RestController("registryStateController")
class RegistryStateController {
  private final Registry registry;

  RegistryStateController(Registry registry) {
    this.registry = registry;
  }

  @GetMapping("/registry/state")
  Map<String, Object> state() {
    RegistryIndex.Counts c = registry.index().counts();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", registry.name());
    out.put("status", "ok");
    out.put("nodes", c.nodes());
    out.put("online", c.online());
    out.put("flows", c.flows());
    out.put("heartbeatTimeout", registry.index().heartbeatTimeout().toSeconds());
    return out;
  }
}
