package dev.kodo.registry.admin;

import dev.kodo.client.Constraints;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * What admins do (docs/http-api.md#registry): register and unregister nodes, and set constraints
 * (tags, hidden, notes) over what nodes announce — the admin's values win. Operators only ({@link
 * RegistryAccess}).
 */
@RestController("registryAdminController")
class RegistryAdminController {
  private static final Set<String> CONSTRAINT_FIELDS = Set.of("tags", "hidden", "notes");
  private final Registry registry;

  RegistryAdminController(Registry registry) {
    this.registry = registry;
  }

  /**
   * Registers a node so that it may connect: 201 with the node (also when it was registered
   * already).
   */
  @PostMapping("/registry/register")
  ResponseEntity<RegistryNode> register(@RequestBody JsonNode body) {
    RegistryAccess.operator("register nodes");
    String node = JsonBodies.required(JsonBodies.object(body, Set.of("node")), "node");
    return ResponseEntity.status(HttpStatus.CREATED).body(registry.register(node));
  }

  /** Removes a node and everything it announced: 204, or 404 if unknown. */
  @DeleteMapping("/registry/register/{node}")
  ResponseEntity<Void> unregister(@PathVariable String node) {
    RegistryAccess.operator("unregister nodes");
    if (!registry.unregister(node)) {
      throw ApiException.notFound("node", node);
    }
    return ResponseEntity.noContent().build();
  }

  /** Sets (replaces) an admin's constraints on a node; 404 if unknown. */
  @PutMapping("/registry/nodes/{node}")
  RegistryNode constrainNode(@PathVariable String node, @RequestBody JsonNode body) {
    RegistryAccess.operator("set constraints on nodes");
    return registry.constrainNode(node, constraints(body));
  }

  /**
   * Sets (replaces) an admin's constraints on a flow, also one its node does not announce (yet):
   * the flow as it shows now, or the constraints alone with {@code announced: false}.
   */
  @PutMapping("/registry/flows/{node}/{*path}")
  Object constrainFlow(
      @PathVariable String node, @PathVariable String path, @RequestBody JsonNode body) {
    RegistryAccess.operator("set constraints on flows");
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.isEmpty()) {
      throw ApiException.badParameter(
          "path", "the flow's path is missing: PUT /registry/flows/{node}/{path}");
    }
    Constraints c = constraints(body);
    Optional<RegistryFlow> flow = registry.constrainFlow(node, p, c);
    if (flow.isPresent()) {
      return flow.get();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", node);
    out.put("path", p);
    out.put("announced", false);
    out.put("constraints", c);
    return out;
  }

  private static Constraints constraints(JsonNode body) {
    JsonNode b = JsonBodies.object(body, CONSTRAINT_FIELDS);
    return Checks.constraints(
        new Constraints(
            JsonBodies.strings(b, "tags"),
            JsonBodies.bool(b, "hidden", false),
            JsonBodies.string(b, "notes")));
  }
}
