package dev.kodo.node.cleanup;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CleanupController {
  private final CleanupService cleanup;

  CleanupController(CleanupService cleanup) {
    this.cleanup = cleanup;
  }

  @Operation(summary = "Which finished runs a cleanup would remove now (admin)")
  @GetMapping("/api/cleanup")
  CleanupService.Report preview() {
    return cleanup.preview();
  }

  @Operation(summary = "Remove the finished runs past their retention (admin)")
  @PostMapping("/api/cleanup")
  CleanupService.Report clean() {
    return cleanup.clean();
  }
}
