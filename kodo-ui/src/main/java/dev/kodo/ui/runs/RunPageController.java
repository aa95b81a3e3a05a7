package dev.kodo.ui.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventsPage;
import dev.kodo.client.Level;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.RunDocument;
import dev.kodo.client.access.Caller;
import dev.kodo.node.runs.LockService;
import dev.kodo.node.runs.NodeAccess;
import dev.kodo.node.runs.RunService;
import dev.kodo.node.runs.RunSharing;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.ui.internal.FormView;
import dev.kodo.ui.internal.Markdown;
import dev.kodo.web.ApiException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;

/**
 * One run's page at {@code /runs/{fid}} (docs/ui.md#the-run-page): a header and a panel drawn on
 * the server (state, progress, result rendered from Markdown and sanitised, the open lock as a
 * form, the actions the caller may take), and a timeline that {@code kodo.js} fills from the run's
 * live stream. Every read and action goes through the node's own services and access rules ({@link
 * NodeAccess}, {@link RunService}, {@link LockService}) with the session's caller, so the page
 * shows what the API would give that caller, at its level.
 */
@Controller
class RunPageController {
  private final RunService runs;
  private final LockService locks;
  private final NodeAccess access;
  private final Markdown markdown;
  private final RunSharing sharing;

  RunPageController(
      RunService runs,
      LockService locks,
      NodeAccess access,
      Markdown markdown,
      RunSharing sharing) {
    this.runs = runs;
    this.locks = locks;
    this.access = access;
    this.markdown = markdown;
    this.sharing = sharing;
  }

  /** The tabs of the run page, chosen by {@code ?tab=} (plain links: no script needed). */
  static final List<String> TABS = List.of("result", "io", "events");

  /** Events a page of the events tab shows. */
  static final int EVENTS_PER_PAGE = 200;

  @GetMapping("/runs/{fid}")
  String page(
      @PathVariable String fid,
      @RequestParam(required = false) String tab,
      @RequestParam(required = false) String after,
      Model model) {
    String t = tab(tab);
    panel(fid, Map.of(), Map.of(), null, t, model);
    header(fid, model);
    if (t.equals("io")) inputsOutputs(model);
    if (t.equals("events")) events(fid, after, model);
    return "ui/run";
  }

  /** The part of the page that changes with the run's state, for {@code kodo.js} to redraw. */
  @GetMapping("/runs/{fid}/panel")
  String panelOnly(
      @PathVariable String fid, @RequestParam(required = false) String tab, Model model) {
    panel(fid, Map.of(), Map.of(), null, tab(tab), model);
    return "ui/run :: panel";
  }

  private static String tab(String tab) {
    if (tab == null || tab.isEmpty()) return "result";
    if (!TABS.contains(tab)) {
      throw ApiException.badParameter("tab", "must be one of result, io, events");
    }
    return tab;
  }

  /** The header's figures: events the caller sees over time (the sparkline), count and size. */
  private void header(String fid, Model model) {
    RunDocument run = (RunDocument) model.getAttribute("run");
    Level level = access.view(access.caller(), fid).level();
    Instant end = run.finished() != null ? run.finished() : Instant.now();
    EventActivity activity = new EventActivity(run.created(), end);
    long after = 0;
    read:
    while (true) {
      EventsPage page = runs.events(fid, after, 1000, level);
      for (Event e : page.items()) {
        if (!activity.add(e)) break read;
      }
      if (!page.more() || page.last() <= after || page.items().isEmpty()) break;
      after = page.items().getLast().seq();
    }
    model.addAttribute("activity", activity);
    double seconds =
        run.runtime() != null
            ? run.runtime()
            : Math.max(0, Duration.between(run.created(), end).toMillis() / 1000.0);
    model.addAttribute("runtimeSeconds", seconds);
  }

  /** The inputs/outputs tab: the run's inputs and its final result as fields and as JSON. */
  private static void inputsOutputs(Model model) {
    RunDocument run = (RunDocument) model.getAttribute("run");
    model.addAttribute("inputFields", FieldText.of(run.inputs()));
    JsonNode result = run.result() == null ? null : run.result().path("result");
    boolean has = result != null && !result.isMissingNode() && !result.isNull();
    JsonNode body = has ? result.path("body") : null;
    model.addAttribute(
        "outputFields", body != null && body.isObject() ? FieldText.of(body) : List.of());
    model.addAttribute("outputJson", run.result() == null ? null : run.result().toPrettyString());
  }

  /** The events tab: a page of the events the caller may see, as they are stored. */
  private void events(String fid, String after, Model model) {
    long from = 0;
    if (after != null) {
      try {
        from = Long.parseLong(after);
      } catch (NumberFormatException e) {
        from = -1;
      }
      if (from < 0) throw ApiException.badParameter("after", "must be a whole number, 0 or more");
    }
    Level level = access.view(access.caller(), fid).level();
    EventsPage page = runs.events(fid, from, EVENTS_PER_PAGE, level);
    model.addAttribute("eventsPage", page.items());
    model.addAttribute("eventsAfter", from);
    model.addAttribute("eventsPerPage", EVENTS_PER_PAGE);
    model.addAttribute(
        "eventsNext", page.more() && !page.items().isEmpty() ? page.items().getLast().seq() : null);
  }

  private void panel(
      String fid,
      Map<String, String> values,
      Map<String, String> errors,
      String lockMessage,
      String tab,
      Model model) {
    Caller caller = access.caller();
    model.addAttribute("tab", tab);
    model.addAttribute("tabs", TABS);
    NodeAccess.RunView view = access.view(caller, fid);
    RunDocument run = runs.get(fid);
    Level level = view.level();
    model.addAttribute("run", run);
    model.addAttribute("fid", fid);
    model.addAttribute("level", level.name().toLowerCase(Locale.ROOT));
    model.addAttribute("full", level == Level.FULL);
    model.addAttribute("manage", view.owner() || caller.operator());
    model.addAttribute(
        "shareLevels",
        Stream.of(Level.BASIC, Level.ADVANCED, Level.FULL)
            .filter(level::includes)
            .map(l -> l.name().toLowerCase(Locale.ROOT))
            .toList());
    model.addAttribute("state", run.state().wire());
    boolean done = run.state() == dev.kodo.client.RunState.DONE;
    model.addAttribute(
        "progress", done ? 1.0 : run.progress() == null ? 0.0 : run.progress().value());
    model.addAttribute(
        "progressMessage",
        run.state().finished() || run.progress() == null ? "" : run.progress().message());
    model.addAttribute("inputs", run.inputs() == null ? "{}" : run.inputs().toPrettyString());
    model.addAttribute(
        "result", resultHtml(run.result() == null ? null : run.result().path("result")));
    model.addAttribute(
        "resultJson", resultJson(run.result() == null ? null : run.result().path("result")));
    // Until final, the Result tab shows the latest intermediate result the caller's level shows.
    JsonNode fin = run.result() == null ? null : run.result().path("result");
    boolean hasFinal = fin != null && !fin.isMissingNode() && !fin.isNull();
    IntermediateResult intermediate =
        hasFinal || !tab.equals("result")
            ? null
            : IntermediateResult.latest(
                (after, limit) -> runs.events(fid, after, limit, Level.FULL).items(),
                run.events(),
                level);
    model.addAttribute("intermediate", intermediate);
    model.addAttribute(
        "intermediateHtml",
        intermediate != null && intermediate.markdown()
            ? markdown.html(intermediate.text())
            : null);
    model.addAttribute("error", run.error() == null ? null : run.error().toPrettyString());
    model.addAttribute("usage", level == Level.FULL ? run.usage() : null);
    JsonNode lock = run.lock();
    if (lock != null && !lock.isNull() && !lock.isMissingNode()) {
      JsonNode demand = lock.path("demand");
      model.addAttribute("lockId", lock.path("lid").asString(""));
      model.addAttribute("lockTitle", demand.path("title").asString(""));
      model.addAttribute("lockText", markdown.html(demand.path("markdown").asString("")));
      model.addAttribute("lockExpires", lock.path("expires").asString(""));
      model.addAttribute("lockMessage", lockMessage);
      model.addAttribute(
          "lockForm",
          FormView.of(demand.path("schema"), demand.path("form"), values, errors, markdown));
      boolean answer;
      try {
        access.answerLocks(caller, fid);
        answer = true;
      } catch (ApiException e) {
        answer = false;
      }
      model.addAttribute("answer", answer);
    }
  }

  private String resultHtml(JsonNode r) {
    if (r == null || r.isMissingNode() || r.isNull()) return null;
    if ("markdown".equals(r.path("format").asString(""))) {
      return markdown.html(r.path("body").asString(""));
    }
    return null;
  }

  private static String resultJson(JsonNode r) {
    if (r == null || r.isMissingNode() || r.isNull()) return null;
    if ("markdown".equals(r.path("format").asString(""))) return null;
    return r.path("body").toPrettyString();
  }

  /** The open lock's answer: accepted redraws the panel; denied shows the flow's reasons. */
  @PostMapping("/runs/{fid}/locks/{lid}")
  String answer(
      @PathVariable String fid,
      @PathVariable String lid,
      @RequestParam org.springframework.util.MultiValueMap<String, String> form,
      @RequestHeader(value = "HX-Request", required = false) String htmx,
      HttpServletResponse response,
      Model model) {
    Map<String, String> params = FormView.posted(form);
    access.answerLocks(access.caller(), fid);
    Map<String, String> errors = new LinkedHashMap<>();
    String message;
    try {
      // the open lock's data: {lid, demand: {title, markdown, schema, form}, expires}
      JsonNode demand = locks.demand(fid, lid).path("demand");
      locks.submit(fid, lid, FormView.values(demand.path("schema"), params));
      if (htmx == null) return "redirect:/runs/" + enc(fid);
      panel(fid, Map.of(), Map.of(), null, "result", model);
      return "ui/run :: panel";
    } catch (InvalidInputsException e) {
      for (InputError x : e.errors()) errors.merge(x.field(), x.message(), (a, b) -> a + "; " + b);
      message = "The answer does not fit the form.";
      response.setStatus(400);
    } catch (ApiException e) {
      if (e.status() != HttpStatus.UNPROCESSABLE_CONTENT && e.status() != HttpStatus.BAD_REQUEST) {
        // The lock closed meanwhile (answered, timed out, its worker gone: 404, 409, 504): the
        // redrawn panel shows where the run is now, with why the answer was not taken.
        panel(fid, Map.of(), Map.of(), e.getMessage(), "result", model);
        return htmx == null ? "ui/run" : "ui/run :: panel";
      }
      if (e.errors() != null) {
        for (FieldError x : e.errors()) {
          errors.merge(x.field(), x.message(), (a, b) -> a + "; " + b);
        }
      }
      message =
          e.status() == HttpStatus.UNPROCESSABLE_CONTENT
              ? "The flow denied this answer; the lock stays open."
              : "The answer does not fit the form.";
      response.setStatus(e.status().value());
    }
    panel(fid, params, errors, message, "result", model);
    return htmx == null ? "ui/run" : "ui/run :: panel";
  }

  /**
   * Shares the run with one user or group at a level (docs/ui.md#the-run-page), by the node's own
   * share rules ({@link RunSharing}); a refusal is shown next to the form, the values kept.
   */
  @PostMapping("/runs/{fid}/share")
  String share(
      @PathVariable String fid,
      @RequestParam(defaultValue = "") String subject,
      @RequestParam(defaultValue = "") String level,
      @RequestParam(defaultValue = "r") String mode,
      HttpServletResponse response,
      Model model) {
    Caller caller = access.caller();
    try {
      sharing.share(caller, fid, List.of(subject.strip()), level, mode);
      return "redirect:/runs/" + enc(fid);
    } catch (ApiException e) {
      if (e.status() == HttpStatus.NOT_FOUND) throw e;
      response.setStatus(e.status().value());
      Map<String, String> errors = new LinkedHashMap<>();
      if (e.errors() != null) {
        for (FieldError x : e.errors()) {
          String field = x.field().startsWith("subjects") ? "subject" : x.field();
          errors.merge(field, x.message(), (a, b) -> a + "; " + b);
        }
      }
      panel(fid, Map.of(), Map.of(), null, "result", model);
      header(fid, model);
      model.addAttribute("shareError", e.getMessage());
      model.addAttribute("shareErrors", errors);
      model.addAttribute("shareSubject", subject);
      model.addAttribute("shareLevel", level);
      model.addAttribute("shareMode", mode);
      return "ui/run";
    }
  }

  @PostMapping("/runs/{fid}/kill")
  String kill(@PathVariable String fid) {
    Caller caller = access.caller();
    access.manage(caller, fid);
    runs.kill(fid, access.owner(caller));
    return "redirect:/runs/" + enc(fid);
  }

  @PostMapping("/runs/{fid}/ack")
  String acknowledge(@PathVariable String fid) {
    Caller caller = access.caller();
    access.manage(caller, fid);
    runs.acknowledge(fid, access.owner(caller));
    return "redirect:/runs/" + enc(fid);
  }

  @PostMapping("/runs/{fid}/restart")
  String restart(@PathVariable String fid) {
    Caller caller = access.caller();
    NodeAccess.RunView v = access.manage(caller, fid);
    Level level = access.launch(caller, v.record().flow());
    RunDocument run = runs.restart(fid, access.owner(caller), access.enabled() ? level : null);
    return "redirect:/runs/" + enc(run.fid());
  }

  @PostMapping("/runs/{fid}/delete")
  String delete(@PathVariable String fid) {
    access.manage(access.caller(), fid);
    runs.delete(fid);
    return "redirect:/runs";
  }

  /**
   * The run's live stream for the page: the API's own stream ({@code /api/runs/{fid}/stream}, with
   * its {@code Last-Event-ID} resume and level filter) served to the session's caller.
   */
  @GetMapping("/runs/{fid}/stream")
  void stream(@PathVariable String fid, HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    access.view(access.caller(), fid);
    String after = request.getParameter("after");
    String target =
        "/api/runs/"
            + enc(fid)
            + "/stream"
            + (after == null ? "" : "?after=" + UriUtils.encodeQueryParam(after, "UTF-8"));
    request.getRequestDispatcher(target).forward(request, response);
  }

  /** The events the caller may see, one JSON object a line. */
  @GetMapping("/runs/{fid}/events.ndjson")
  void events(@PathVariable String fid, HttpServletResponse response) throws IOException {
    Level level = access.view(access.caller(), fid).level();
    response.setContentType("application/x-ndjson");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + fid + "-events.ndjson\"");
    OutputStream out = response.getOutputStream();
    long after = 0;
    while (true) {
      EventsPage page = runs.events(fid, after, 1000, level);
      for (Event e : page.items()) {
        out.write((e.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (!page.more() || page.last() <= after) break;
      after = page.last();
    }
    out.flush();
  }

  /** The final result: Markdown as a .md file, JSON as a .json file. */
  @GetMapping("/runs/{fid}/result")
  void result(@PathVariable String fid, HttpServletResponse response) throws IOException {
    access.view(access.caller(), fid);
    RunDocument run = runs.get(fid);
    JsonNode r = run.result() == null ? null : run.result().path("result");
    if (r == null || r.isMissingNode()) {
      throw ApiException.conflict(
          "run " + fid + " has no final result (it is " + run.state() + ")");
    }
    boolean md = "markdown".equals(r.path("format").asString(""));
    String body = md ? r.path("body").asString("") : r.path("body").toPrettyString();
    response.setContentType(md ? "text/markdown" : "application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader(
        "Content-Disposition",
        "attachment; filename=\"" + fid + "-result." + (md ? "md" : "json") + "\"");
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return UriUtils.encodePathSegment(s, "UTF-8");
  }
}
