package dev.kodo.node.runs;

import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
class LocksController {
  private final LockService locks;
  private final NodeAccess access;

  LocksController(LockService locks, NodeAccess access) {
    this.locks = locks;
    this.access = access;
  }

  @Operation(summary = "The open lock's demand", description = "404 once the lock is released.")
  @GetMapping("/api/runs/{fid}/locks/{lid}")
  JsonNode demand(@PathVariable String fid, @PathVariable String lid) {
    access.view(access.caller(), fid);
    return locks.demand(fid, lid);
  }

  @Operation(
      summary = "Answer an open lock",
      description =
          "The body is the answer's values. 200 accepted; 422 denied with the flow's reasons (the lock stays open);"
              + " 504 the flow did not answer in time; 404 unknown or closed lock; 409 the run is not locked.")
  @PostMapping("/api/runs/{fid}/locks/{lid}")
  LockService.Accepted answer(
      @PathVariable String fid, @PathVariable String lid, @RequestBody Map<String, Object> values) {
    return locks.submit(access.answerLocks(access.caller(), fid), lid, values);
  }
}
