package dev.kodo.ui.flows;

import dev.kodo.client.FlowInfo;
import dev.kodo.client.Level;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.RunDocument;
import dev.kodo.client.access.Caller;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.runs.NodeAccess;
import dev.kodo.node.runs.RunService;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.ui.internal.FormView;
import dev.kodo.ui.internal.Markdown;
import dev.kodo.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/**
 * The flow catalogue at {@code /} (search, tags) and each flow's launch form at {@code
 * /launch?flow=…} (docs/ui.md#pages): the flows the caller may see, by the node's own access rules
 * ({@link NodeAccess}); a launch goes through {@link RunService} like {@code POST /api/runs}, and
 * its per-field errors are shown next to the fields.
 */
@Controller
class CatalogueController {
  private final FlowCatalog catalog;
  private final NodeAccess access;
  private final RunService runs;
  private final Markdown markdown;

  CatalogueController(FlowCatalog catalog, NodeAccess access, RunService runs, Markdown markdown) {
    this.catalog = catalog;
    this.access = access;
    this.runs = runs;
    this.markdown = markdown;
  }

  /** A flow as the catalogue lists it. */
  record FlowCard(FlowInfo info, String description, boolean launch) {}

  @GetMapping("/")
  String catalogue(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String tag,
      Model model) {
    Caller caller = access.caller();
    List<FlowInfo> visible =
        catalog.all().stream()
            .filter(f -> access.seesFlow(caller, f.path()))
            .map(LoadedFlow::info)
            .toList();
    TreeSet<String> tags = new TreeSet<>();
    visible.forEach(f -> tags.addAll(f.tags()));
    String needle = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
    List<FlowCard> cards =
        visible.stream()
            .filter(f -> tag == null || tag.isBlank() || f.tags().contains(tag))
            .filter(f -> needle.isEmpty() || text(f).contains(needle))
            .sorted((a, b) -> String.CASE_INSENSITIVE_ORDER.compare(a.name(), b.name()))
            .map(
                f ->
                    new FlowCard(
                        f,
                        markdown.html(f.description()),
                        access.flow(caller, f.path(), dev.kodo.client.access.Mode.X).isPresent()))
            .toList();
    model.addAttribute("flows", cards);
    model.addAttribute("tags", tags);
    model.addAttribute("tag", tag == null ? "" : tag);
    model.addAttribute("search", search == null ? "" : search);
    model.addAttribute("total", visible.size());
    return "ui/flows";
  }

  private static String text(FlowInfo f) {
    return String.join(
            " ",
            f.name(),
            String.valueOf(f.description()),
            String.valueOf(f.author()),
            String.valueOf(f.organization()),
            f.path(),
            String.join(" ", f.tags()))
        .toLowerCase(Locale.ROOT);
  }

  @GetMapping("/launch")
  String form(@RequestParam String flow, Model model) {
    FlowInfo info = visible(flow);
    access.launch(access.caller(), flow);
    return form(info, Map.of(), Map.of(), model);
  }

  @PostMapping("/launch")
  String launch(
      @RequestParam org.springframework.util.MultiValueMap<String, String> form,
      HttpServletResponse response,
      Model model) {
    Map<String, String> params = FormView.posted(form);
    String flow = params.getOrDefault("flow", "");
    FlowInfo info = visible(flow);
    Caller caller = access.caller();
    Level level = access.launch(caller, flow);
    try {
      RunDocument run =
          runs.launch(
              flow,
              FormView.values(info.schema(), params),
              access.owner(caller),
              access.enabled() ? level : null);
      return "redirect:/runs/" + UriUtils.encodePathSegment(run.fid(), "UTF-8");
    } catch (InvalidInputsException e) {
      response.setStatus(400);
      Map<String, String> errors = new LinkedHashMap<>();
      for (InputError x : e.errors()) errors.merge(x.field(), x.message(), (a, b) -> a + "; " + b);
      return form(info, params, errors, model);
    } catch (ApiException e) {
      if (e.errors() == null || e.errors().isEmpty()) {
        if (e.status() != HttpStatus.TOO_MANY_REQUESTS
            && e.status() != HttpStatus.SERVICE_UNAVAILABLE) {
          throw e;
        }
        // Over an admission limit or a full run queue: keep what the user typed and say why.
        response.setStatus(e.status().value());
        e.retryAfter()
            .ifPresent(d -> response.setHeader("Retry-After", Long.toString(d.toSeconds())));
        return form(info, params, Map.of("", e.getMessage()), model);
      }
      response.setStatus(e.status().value());
      Map<String, String> errors = new LinkedHashMap<>();
      for (FieldError x : e.errors()) errors.merge(x.field(), x.message(), (a, b) -> a + "; " + b);
      return form(info, params, errors, model);
    }
  }

  private FlowInfo visible(String flow) {
    Caller caller = access.caller();
    return catalog
        .get(flow)
        .filter(f -> access.seesFlow(caller, f.path()))
        .map(LoadedFlow::info)
        .orElseThrow(() -> ApiException.notFound("flow", flow));
  }

  private String form(
      FlowInfo info, Map<String, String> values, Map<String, String> errors, Model model) {
    model.addAttribute("flow", info);
    model.addAttribute("description", markdown.html(info.description()));
    model.addAttribute("form", FormView.of(info.schema(), info.form(), values, errors, markdown));
    return "ui/launch";
  }
}
