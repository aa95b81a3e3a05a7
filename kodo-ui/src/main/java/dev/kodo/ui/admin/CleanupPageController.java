package dev.kodo.ui.admin;

import dev.kodo.node.cleanup.CleanupService;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/cleanup} (docs/ui.md#administration): what the node's housekeeping would remove now
 * (a count and a sample of runs, with the reason), and removing it after a confirmation — the
 * node's own {@link CleanupService}, as {@code GET}/{@code POST /api/cleanup}. Works with auth off
 * too (the local operator).
 */
@Controller
class CleanupPageController {
  /** How many of the runs due are listed. */
  static final int SAMPLE = 20;

  private final AdminGuard guard;
  private final CleanupService cleanup;

  CleanupPageController(AdminGuard guard, CleanupService cleanup) {
    this.guard = guard;
    this.cleanup = cleanup;
  }

  @GetMapping("/admin/cleanup")
  String preview(HttpServletResponse response, Model model) {
    guard.operator("cleanup", model, response);
    return page(model, cleanup.preview());
  }

  @PostMapping("/admin/cleanup")
  String clean(
      @RequestParam(defaultValue = "false") boolean confirm,
      HttpServletResponse response,
      Model model) {
    guard.operator("cleanup", model, response);
    if (!confirm) {
      response.setStatus(422);
      model.addAttribute("errors", Map.of("confirm", "Tick the box to confirm the removal."));
      return page(model, cleanup.preview());
    }
    CleanupService.Report removed = cleanup.clean();
    model.addAttribute("removed", sample(removed));
    model.addAttribute("removedCount", removed.count());
    return page(model, cleanup.preview());
  }

  private static String page(Model model, CleanupService.Report preview) {
    model.addAttribute("count", preview.count());
    model.addAttribute("sample", sample(preview));
    return "ui/admin/cleanup";
  }

  /** The first {@value #SAMPLE} runs of a report. */
  static List<CleanupService.Candidate> sample(CleanupService.Report report) {
    return report.items().stream().limit(SAMPLE).toList();
  }
}
