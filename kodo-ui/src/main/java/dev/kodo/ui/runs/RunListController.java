package dev.kodo.ui.runs;

import dev.kodo.client.Page;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.access.Caller;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.runs.NodeAccess;
import dev.kodo.node.runs.RunService;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;
import jakarta.servlet.http.HttpServletResponse;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The runs the caller may see at {@code /runs} (docs/ui.md#the-runs-list): newest first, filtered
 * by state and flow, searched, paged; several finished runs may be acknowledged or deleted at once.
 * Visibility is the node's ({@link NodeAccess#visibility}).
 */
@Controller
class RunListController {
  static final int PER_PAGE = 20;

  private final RunService runs;
  private final NodeAccess access;
  private final FlowCatalog catalog;

  RunListController(RunService runs, NodeAccess access, FlowCatalog catalog) {
    this.runs = runs;
    this.access = access;
    this.catalog = catalog;
  }

  @GetMapping("/runs")
  String list(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String flow,
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String p,
      Model model) {
    Caller caller = access.caller();
    ListParams params =
        ListParams.parse(
            p, Integer.toString(PER_PAGE), search, "created desc", Set.of("created"), PER_PAGE);
    LocalDate fromDay = day("from", from);
    LocalDate toDay = day("to", to);
    if (fromDay != null && toDay != null && toDay.isBefore(fromDay)) {
      throw ApiException.badParameter("to", "must not be before from (" + fromDay + ")");
    }
    Page<RunDocument> page =
        runs.list(
            state,
            flow,
            params,
            access.visibility(caller),
            fromDay == null ? null : fromDay.atStartOfDay(ZoneOffset.UTC).toInstant(),
            toDay == null ? null : toDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    // The flow filter offers every flow the caller sees in the catalogue, and those of the listed
    // runs (a flow no longer loaded keeps its runs).
    TreeSet<String> flows = new TreeSet<>();
    for (LoadedFlow f : catalog.all()) {
      if (access.seesFlow(caller, f.info().path())) flows.add(f.info().path());
    }
    page.items().forEach(r -> flows.add(r.flow()));
    if (flow != null && !flow.isBlank()) flows.add(flow);
    model.addAttribute("page", page);
    model.addAttribute("runs", page.items());
    model.addAttribute("states", Arrays.stream(RunState.values()).map(RunState::wire).toList());
    model.addAttribute("flows", flows);
    model.addAttribute("state", state == null ? "" : state);
    model.addAttribute("flow", flow == null ? "" : flow);
    model.addAttribute("search", search == null ? "" : search);
    model.addAttribute("from", fromDay == null ? "" : fromDay.toString());
    model.addAttribute("to", toDay == null ? "" : toDay.toString());
    long pages = Math.max(1, (page.filtered() + PER_PAGE - 1) / PER_PAGE);
    model.addAttribute("pageNo", page.p());
    model.addAttribute("pages", pages);
    return "ui/runs";
  }

  /**
   * A day of the date filter ({@code YYYY-MM-DD}, in UTC), or null when absent.
   *
   * @throws ApiException 400 naming the parameter
   */
  private static LocalDate day(String name, String raw) {
    if (raw == null || raw.isBlank()) return null;
    try {
      LocalDate d = LocalDate.parse(raw.strip());
      if (d.getYear() < 1970 || d.getYear() > 9999) throw new DateTimeException("out of range");
      return d;
    } catch (DateTimeException e) {
      throw ApiException.badParameter(
          name,
          "must be a day as YYYY-MM-DD between 1970 and 9999, not '"
              + ApiException.shorten(raw.strip())
              + "'");
    }
  }

  /**
   * The states of up to {@value #PER_PAGE} runs, for the runs list's live badges ({@code kodo.js}
   * polls it while a listed run has not finished): {@code {fid: state}}, leaving out runs the
   * caller may not see or that are gone.
   */
  @GetMapping(value = "/runs/states", produces = "application/json")
  @ResponseBody
  Map<String, String> states(@RequestParam(required = false) List<String> fid) {
    List<String> fids = fid == null ? List.of() : fid;
    if (fids.size() > PER_PAGE) {
      throw ApiException.badParameter("fid", "at most " + PER_PAGE + " runs at once");
    }
    Caller caller = access.caller();
    Map<String, String> out = new LinkedHashMap<>();
    for (String f : fids) {
      try {
        access.view(caller, f);
        out.put(f, runs.get(f).state().wire());
      } catch (ApiException e) {
        // not visible, not valid or deleted meanwhile: the badge keeps what it showed
      }
    }
    return out;
  }

  /**
   * Acknowledges or deletes the selected runs; those the caller may not manage (or that are gone)
   * are left as they are and reported on a 409 page, the others are changed.
   *
   * @throws ApiException 400 for an action other than {@code ack} or {@code delete}
   */
  @PostMapping("/runs")
  String bulk(
      @RequestParam(required = false) List<String> fid,
      @RequestParam(defaultValue = "") String action,
      HttpServletResponse response,
      Model model) {
    if (!action.equals("ack") && !action.equals("delete")) {
      throw ApiException.badParameter(
          "action", "must be ack or delete, not '" + ApiException.shorten(action) + "'");
    }
    Caller caller = access.caller();
    List<String> refused = new ArrayList<>();
    for (String f : fid == null ? List.<String>of() : fid) {
      try {
        access.manage(caller, f);
        if (action.equals("delete")) {
          runs.delete(f);
        } else if (action.equals("ack")) {
          runs.acknowledge(f, access.owner(caller));
        }
      } catch (ApiException e) {
        refused.add(f + ": " + e.getMessage());
      }
    }
    if (refused.isEmpty()) return "redirect:/runs";
    response.setStatus(409);
    model.addAttribute("status", 409);
    model.addAttribute("title", "Some runs were not changed");
    model.addAttribute("detail", String.join("\n", refused));
    return "ui/error";
  }
}
