package dev.kodo.ui.runs;

import dev.kodo.client.Page;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.access.Caller;
import dev.kodo.node.runs.NodeAccess;
import dev.kodo.node.runs.RunService;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

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

  RunListController(RunService runs, NodeAccess access) {
    this.runs = runs;
    this.access = access;
  }

  @GetMapping("/runs")
  String list(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String flow,
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String p,
      Model model) {
    Caller caller = access.caller();
    ListParams params =
        ListParams.parse(
            p, Integer.toString(PER_PAGE), search, "created desc", Set.of("created"), PER_PAGE);
    Page<RunDocument> page = runs.list(state, flow, params, access.visibility(caller));
    TreeSet<String> flows = new TreeSet<>();
    page.items().forEach(r -> flows.add(r.flow()));
    if (flow != null && !flow.isBlank()) flows.add(flow);
    model.addAttribute("page", page);
    model.addAttribute("runs", page.items());
    model.addAttribute("states", Arrays.stream(RunState.values()).map(RunState::wire).toList());
    model.addAttribute("flows", flows);
    model.addAttribute("state", state == null ? "" : state);
    model.addAttribute("flow", flow == null ? "" : flow);
    model.addAttribute("search", search == null ? "" : search);
    long pages = Math.max(1, (page.filtered() + PER_PAGE - 1) / PER_PAGE);
    model.addAttribute("pageNo", page.p());
    model.addAttribute("pages", pages);
    return "ui/runs";
  }

  /** Acknowledges or deletes the selected runs; those the caller may not manage are reported. */
  @PostMapping("/runs")
  String bulk(
      @RequestParam(required = false) List<String> fid,
      @RequestParam(defaultValue = "") String action,
      Model model) {
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
    model.addAttribute("status", 409);
    model.addAttribute("title", "Some runs were not changed");
    model.addAttribute("detail", String.join("\n", refused));
    return "ui/error";
  }
}
