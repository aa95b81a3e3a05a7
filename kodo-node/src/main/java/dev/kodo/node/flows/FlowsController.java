package dev.kodo.node.flows;

import dev.kodo.client.FlowInfo;
import dev.kodo.client.Glob;
import dev.kodo.client.KodoException;
import dev.kodo.client.Page;
import dev.kodo.client.access.Caller;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeApplication;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.runs.NodeAccess;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** The node's catalogue of flows. */
@RestController
class FlowsController {
  private static final Set<String> SORTABLE =
      Set.of("path", "name", "author", "organization", "release");

  private static final Logger log = LoggerFactory.getLogger(FlowsController.class);
  private final FlowCatalog catalog;
  private final NodeProperties properties;
  private final ApplicationEventPublisher events;
  private final NodeAccess access;

  FlowsController(
      FlowCatalog catalog,
      NodeProperties properties,
      ApplicationEventPublisher events,
      NodeAccess access) {
    this.access = access;
    this.catalog = catalog;
    this.properties = properties;
    this.events = events;
  }

  @Operation(
      summary = "Load the configured flows again (admin)",
      description =
          "Recompiles .java flow files and picks up"
              + " new, changed and removed flows; running flows keep the code they started with. If a source cannot be loaded,"
              + " nothing changes and the answer is 422 with the reason. The node re-announces its flows to its registries.")
  @PostMapping("/api/flows/reload")
  Map<String, Object> reload() {
    access.operator(access.caller(), "reload the flows");
    FlowCatalog.Change change;
    List<FlowCatalog.Refusal> refusedBefore = catalog.refusals();
    try {
      change =
          catalog.reload(properties.getFlows(), Thread.currentThread().getContextClassLoader());
    } catch (KodoException e) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "Flows not reloaded",
          e.getMessage() + "; the node keeps offering the flows it had",
          null);
    }
    NodeApplication.logRefusals(
        catalog.refusals().stream().filter(r -> !refusedBefore.contains(r)).toList());
    if (change.any()) {
      events.publishEvent(new FlowsChanged(catalog.version()));
      log.info(
          "flows reloaded: {} added {}, removed {}, changed {}",
          catalog.size(),
          change.added(),
          change.removed(),
          change.changed());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("flows", catalog.size());
    out.put("added", change.added());
    out.put("removed", change.removed());
    out.put("changed", change.changed());
    out.put(
        "refused",
        catalog.refusals().stream()
            .map(r -> Map.of("source", r.source(), "message", r.message()))
            .toList());
    return out;
  }

  @Operation(
      summary = "List the flows this node offers",
      description = "search is a glob over name, description, author, organization, path and tags.")
  @GetMapping("/api/flows")
  Page<FlowInfo> list(
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String by) {
    ListParams params = ListParams.parse(p, pp, search, by, SORTABLE, 100);
    Caller caller = access.caller();
    // Only the flows the caller may launch (x) or read (r); total counts those.
    List<FlowInfo> all =
        catalog.all().stream()
            .filter(f -> access.seesFlow(caller, f.path()))
            .map(LoadedFlow::info)
            .toList();
    Glob glob = params.glob();
    List<FlowInfo> matching =
        all.stream()
            .filter(
                f ->
                    ListParams.matches(
                        glob,
                        f.name(),
                        f.description(),
                        f.author(),
                        f.organization(),
                        f.path(),
                        String.join(" ", f.tags())))
            .sorted(comparator(params))
            .toList();
    int from = (int) Math.min((long) params.page() * params.perPage(), matching.size());
    int to = Math.min(from + params.perPage(), matching.size());
    return new Page<>(
        all.size(), matching.size(), params.page(), params.perPage(), matching.subList(from, to));
  }

  @Operation(summary = "One flow with its input schema and form hints")
  @GetMapping("/api/flows/**")
  FlowInfo get(HttpServletRequest request) {
    String path =
        request
            .getRequestURI()
            .substring(request.getContextPath().length() + "/api/flows/".length());
    String decoded = UriUtils.decode(path, StandardCharsets.UTF_8);
    Caller caller = access.caller();
    return catalog
        .get(decoded)
        .filter(f -> access.seesFlow(caller, f.path()))
        .map(LoadedFlow::info)
        .orElseThrow(() -> ApiException.notFound("flow", decoded));
  }

  private static Comparator<FlowInfo> comparator(ListParams params) {
    Comparator<FlowInfo> c = (a, b) -> 0;
    for (ListParams.Order o : params.by()) {
      Comparator<FlowInfo> k =
          Comparator.comparing(
              f ->
                  String.valueOf(
                      switch (o.field()) {
                        case "name" -> f.name();
                        case "author" -> f.author();
                        case "organization" -> f.organization();
                        case "release" -> f.release();
                        default -> f.path();
                      }),
              String.CASE_INSENSITIVE_ORDER);
      c = c.thenComparing(o.descending() ? k.reversed() : k);
    }
    return c;
  }
}
