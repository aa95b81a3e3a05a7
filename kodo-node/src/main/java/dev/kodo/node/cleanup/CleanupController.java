package dev.kodo.node.cleanup;

import dev.kodo.node.runs.NodeAccess;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CleanupController {
  private final CleanupService cleanup;
  private final NodeAccess access;

  CleanupController(CleanupService cleanup, NodeAccess access) {
    this.cleanup = cleanup;
    this.access = access;
  }

  @Operation(summary = "Which finished runs a cleanup would remove now (admin)")
  @GetMapping("/api/cleanup")
  CleanupService.Report preview() {
    access.operator(access.caller(), "preview the cleanup");
    return cleanup.preview();
  }

  @Operation(summary = "Remove the finished runs past their retention (admin)")
  @PostMapping("/api/cleanup")
  CleanupService.Report clean() {
    access.operator(access.caller(), "run the cleanup");
    return cleanup.clean();
  }
}
