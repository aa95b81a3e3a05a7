package dev.kodo.bench;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baselines' endpoints, added to the benchmarked node and registry only: the same server, the
 * same filters and JSON handling, and no work. The body of a POST or PUT is read (as JSON) and
 * dropped.
 */
@RestController
class NoopEndpoints {
  @PostMapping("/bench/noop")
  Map<String, Object> post(@RequestBody Map<String, Object> body) {
    return Map.of("ok", true);
  }

  @PutMapping("/bench/noop")
  Map<String, Object> put(@RequestBody Map<String, Object> body) {
    return Map.of("ok", true);
  }

  @GetMapping("/bench/noop")
  Map<String, Object> get() {
    return Map.of("ok", true);
  }
}
