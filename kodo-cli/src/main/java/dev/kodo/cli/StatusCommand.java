package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunUsage;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code koco status}: one run's document, for people or as JSON. */
@Command(
    mixinStandardHelpOptions = true,
    name = "status",
    description = "Show a run: flow, state, progress, inputs, result or error.")
final class StatusCommand extends NodeCommand {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  @Parameters(index = "0", paramLabel = "FID", description = "The run's id.")
  String fid;

  @Option(names = "--json", description = "Print the run document as the node answers it.")
  boolean json;

  @Override
  public Integer call() {
    RunDocument run = node.client().run(fid);
    PrintWriter out = out();
    if (json) {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(run));
    } else {
      print(out, run, ZoneId.systemDefault());
    }
    return Exit.OK;
  }

  static void print(PrintWriter out, RunDocument run, ZoneId zone) {
    line(out, "run", run.fid());
    line(out, "flow", run.flow());
    line(out, "state", run.state() == null ? "?" : run.state().wire());
    if (run.progress() != null) {
      line(
          out,
          "progress",
          EventRenderer.progress(run.progress().value(), run.progress().message()));
    }
    line(out, "inputs", EventRenderer.keyValues(run.inputs()));
    line(out, "created", when(run.created(), zone));
    if (run.finished() != null) {
      line(
          out,
          "finished",
          when(run.finished(), zone)
              + (run.runtime() == null ? "" : ", after " + EventRenderer.seconds(run.runtime())));
    }
    line(out, "events", Long.toString(run.events()));
    RunUsage usage = run.usage();
    if (usage != null && !usage.none()) {
      line(
          out,
          "model usage",
          usage.calls()
              + (usage.calls() == 1 ? " call, " : " calls, ")
              + usage.inputTokens()
              + " tokens in, "
              + usage.outputTokens()
              + " out"
              + (usage.cost() == null ? "" : ", cost " + usage.cost()));
    }
    if (run.finished() != null) {
      line(out, "acknowledged", run.acknowledged() ? "yes" : "no");
    }
    if (present(run.lock())) {
      String title = EventRenderer.text(run.lock().path("demand"), "title", "");
      line(
          out,
          "lock",
          "waiting for input"
              + (title.isBlank() ? "" : ": " + title)
              + " (lock "
              + LockView.lid(run.lock())
              + LockView.until(run.lock(), zone, ", until ")
              + ")");
      line(out, "", "koco lock " + run.fid() + " shows and answers it");
    }
    if (run.shares() != null && !run.shares().isEmpty()) {
      line(out, "shared with", ManageCommands.ShareRun.shares(run.shares()));
    }
    if (present(run.error())) {
      line(out, "error", EventRenderer.fatalSummary(run.error()));
      String where = EventRenderer.where(run.error());
      if (where != null) {
        line(out, "", "at " + where);
      }
    }
    if (present(run.result())) {
      JsonNode result = run.result().has("result") ? run.result().get("result") : run.result();
      String body = EventRenderer.resultBody(result);
      if (!body.isEmpty()) {
        out.println();
        out.println(body);
      }
    }
    out.flush();
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isNull() && !n.isMissingNode();
  }

  private static String when(Instant t, ZoneId zone) {
    return t == null ? "" : WHEN.format(t.atZone(zone));
  }

  private static void line(PrintWriter out, String label, String value) {
    out.println(
        (label + " ".repeat(Math.max(1, 14 - label.length()))) + (value == null ? "" : value));
  }
}
