package dev.kodo.registry.flows;

import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.metrics.RegistryMetrics;
import dev.kodo.registry.web.RegistryLists;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browsing and searching the flows of every node (docs/http-api.md#registry-flows). Each record
 * carries its node's {@code url}, {@code online}, {@code heartbeat} and {@code availability}, so
 * that a client can launch it directly. Hidden flows (and the flows of hidden nodes) are listed
 * only when an operator asks ({@code hidden=true}; anybody else asking gets 403 and never sees a
 * hidden record; docs/security.md#registry-reads-nodes-and-peers).
 */
@RestController("registryFlowsController")
class RegistryFlowsController {
  private final Registry registry;
  private final RegistryMetrics metrics;

  RegistryFlowsController(Registry registry, RegistryMetrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
  }

  /**
   * One page of flows: {@code {total, filtered, p, pp, items}}; {@code search} is a glob (a
   * substring without wildcards), {@code query} a filter expression, {@code by} sort keys; {@code
   * hidden=true} lists hidden flows too (an operator's view).
   */
  @GetMapping("/registry/flows")
  Page<RegistryFlow> flows(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String query,
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String by,
      @RequestParam(required = false) String hidden) {
    Page<RegistryFlow> page =
        registry.index().flows(RegistryLists.request(search, query, p, pp, by, hidden));
    metrics.searched();
    return page;
  }
}
