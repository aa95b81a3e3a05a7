package dev.kodo.ui.registry;

import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.ListRequest;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.registry.web.RegistryLists;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The registry's pages for everyone who may read it (docs/ui.md#registry-pages): the nodes with
 * their liveness and recent health at {@code /registry/} (redrawn by htmx every few seconds from
 * {@code /registry/ui/nodes}), and the flows across nodes at {@code /registry/ui/flows}, searched
 * with the registry's filter language. Reads go through the registry's own index and list rules
 * ({@link RegistryLists}), so a page shows what {@code GET /registry/nodes} and {@code
 * /registry/flows} would give the same caller (hidden entries never).
 */
@Controller
class RegistryPagesController {
  /** How far back a node's health line reaches. */
  static final Duration HISTORY = Duration.ofHours(2);

  /** At most this many samples a line (one a minute by default). */
  static final int SAMPLES = 120;

  private final Registry registry;

  RegistryPagesController(Registry registry) {
    this.registry = registry;
  }

  @GetMapping("/registry/")
  String nodes(Model model) {
    nodeRows(model);
    return "ui/registry/nodes";
  }

  /** The list part of the nodes page, for its polling. */
  @GetMapping("/registry/ui/nodes")
  String nodeList(Model model) {
    nodeRows(model);
    return "ui/registry/nodes :: list";
  }

  private void nodeRows(Model model) {
    Page<RegistryNode> page = registry.index().nodes(ListRequest.all());
    model.addAttribute("rows", rows(registry, page.items(), Instant.now()));
    model.addAttribute("total", page.total());
    model.addAttribute("operator", RegistryAccess.caller().operator());
    model.addAttribute("registryName", registry.name());
  }

  /** The rows of {@code nodes} with their recent health. */
  static List<NodeRow> rows(Registry registry, List<RegistryNode> nodes, Instant now) {
    return nodes.stream()
        .map(n -> NodeRow.of(n, registry.history(n.name(), now.minus(HISTORY), now, SAMPLES), now))
        .toList();
  }

  @GetMapping("/registry/ui/flows")
  String flows(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String query,
      @RequestParam(required = false) String p,
      HttpServletResponse response,
      Model model) {
    model.addAttribute("search", search == null ? "" : search);
    model.addAttribute("query", query == null ? "" : query);
    try {
      Page<RegistryFlow> page =
          registry.index().flows(RegistryLists.request(search, query, p, "50", null, null));
      model.addAttribute("flows", page.items().stream().map(FlowRow::of).toList());
      model.addAttribute("page", page);
    } catch (InvalidRequestException e) {
      response.setStatus(400);
      model.addAttribute("flows", List.of());
      model.addAttribute("error", QueryError.of(e));
    }
    return "ui/registry/flows";
  }
}
