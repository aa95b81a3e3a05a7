package dev.kodo.node.runs;

import dev.kodo.client.EventsPage;
import dev.kodo.client.Level;
import dev.kodo.client.Page;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.RunDocument;
import dev.kodo.client.access.Caller;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/runs")
class RunsController {
  private final RunService runs;
  private final NodeAccess access;
  private final RunSharing sharing;

  RunsController(RunService runs, NodeAccess access, RunSharing sharing) {
    this.runs = runs;
    this.access = access;
    this.sharing = sharing;
  }

  /** The body of a launch. */
  record LaunchRequest(String flow, Map<String, Object> inputs) {}

  @Operation(
      summary = "Launch a run of a flow",
      description = "Validates the inputs against the flow's schema; 201 with the run document.")
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  RunDocument launch(@RequestBody LaunchRequest request, HttpServletResponse response) {
    if (request == null || request.flow() == null || request.flow().isBlank()) {
      throw ApiException.badRequest(
          "the launch needs the flow's path in 'flow'",
          List.of(new FieldError("flow", "is required")));
    }
    Caller caller = access.caller();
    Level level = access.launch(caller, request.flow());
    RunDocument run =
        runs.launch(
            request.flow(),
            request.inputs(),
            access.owner(caller),
            access.enabled() ? level : null);
    return created(response, run, level);
  }

  /**
   * 201 with the new run's document and its Location. Not a {@code ResponseEntity}: Spring flushes
   * those as soon as they are written, which sends the body in chunks with a second write to end
   * them, where a plain body goes out in one write with its Content-Length
   * (docs/performance.md#launch--final).
   */
  private static RunDocument created(HttpServletResponse response, RunDocument run, Level level) {
    response.setHeader(HttpHeaders.LOCATION, "/api/runs/" + run.fid());
    return RunDocuments.forLevel(run, level);
  }

  @Operation(
      summary = "List runs",
      description =
          "Filter by state (comma-separated) and flow; search is a glob over fid, flow and owner.")
  @GetMapping
  Page<RunDocument> list(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String flow,
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String by) {
    Caller caller = access.caller();
    Page<RunDocument> page =
        runs.list(
            state,
            flow,
            ListParams.parse(p, pp, search, by, RunService.SORTABLE, 100),
            access.visibility(caller));
    if (caller.operator()) return page;
    // Model usage needs full; a list does not weigh each run's level, so only operators see it.
    return new Page<>(
        page.total(),
        page.filtered(),
        page.p(),
        page.pp(),
        page.items().stream().map(d -> RunDocuments.forLevel(d, Level.ADVANCED)).toList());
  }

  @Operation(summary = "The run document")
  @GetMapping("/{fid}")
  RunDocument get(@PathVariable String fid) {
    NodeAccess.RunView v = access.view(access.caller(), fid);
    return RunDocuments.forLevel(runs.get(fid), v.level());
  }

  @Operation(summary = "Kill a pending or locked run", description = "409 if the run has ended.")
  @PostMapping("/{fid}/kill")
  RunDocument kill(@PathVariable String fid) {
    Caller caller = access.caller();
    NodeAccess.RunView v = access.manage(caller, fid);
    return RunDocuments.forLevel(runs.kill(fid, access.owner(caller)), v.level());
  }

  @Operation(
      summary = "Launch a new run of the same flow with a copy of the inputs",
      description = "201 with the new run; no events are copied.")
  @PostMapping("/{fid}/restart")
  @ResponseStatus(HttpStatus.CREATED)
  RunDocument restart(@PathVariable String fid, HttpServletResponse response) {
    Caller caller = access.caller();
    NodeAccess.RunView v = access.manage(caller, fid);
    // A restart is a launch: it needs x on the flow now, and the new run is the restarter's.
    Level level = access.launch(caller, v.record().flow());
    RunDocument run = runs.restart(fid, access.owner(caller), access.enabled() ? level : null);
    return created(response, run, level);
  }

  @Operation(
      summary = "Acknowledge a finished run",
      description = "409 if the run has not finished.")
  @PostMapping("/{fid}/ack")
  RunDocument acknowledge(@PathVariable String fid) {
    Caller caller = access.caller();
    NodeAccess.RunView v = access.manage(caller, fid);
    return RunDocuments.forLevel(runs.acknowledge(fid, access.owner(caller)), v.level());
  }

  @Operation(
      summary = "Delete a finished run and all its data",
      description = "204; 409 if the run has not finished.")
  @DeleteMapping("/{fid}")
  ResponseEntity<Void> delete(@PathVariable String fid) {
    access.manage(access.caller(), fid);
    runs.delete(fid);
    return ResponseEntity.noContent().build();
  }

  /** The body of a share. */
  record ShareRequest(List<String> subjects, String level, String mode) {}

  @Operation(
      summary =
          "Share a run with users or groups at a level (basic, advanced, full) and mode (r, x)")
  @PostMapping("/{fid}/share")
  RunDocument share(@PathVariable String fid, @RequestBody ShareRequest request) {
    if (request == null) {
      throw ApiException.badRequest("the share needs subjects, level and mode", null);
    }
    return sharing.share(access.caller(), fid, request.subjects(), request.level(), request.mode());
  }

  @Operation(summary = "A run's events with seq greater than 'after'")
  @GetMapping("/{fid}/events")
  EventsPage events(
      @PathVariable String fid,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "1000") int limit) {
    NodeAccess.RunView v = access.view(access.caller(), fid);
    return runs.events(fid, after, limit, v.level());
  }
}
