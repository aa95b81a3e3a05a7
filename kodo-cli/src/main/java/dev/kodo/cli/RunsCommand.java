package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.Page;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code koco runs}: the runs on a node, newest first. */
@Command(
    mixinStandardHelpOptions = true,
    name = "runs",
    description = "List the runs on a node, newest first.")
final class RunsCommand extends NodeCommand {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  @Option(
      names = "--state",
      split = ",",
      paramLabel = "STATE",
      description = "Only runs in these states: pending, locked, done, error, killed.")
  List<String> states;

  @Option(names = "--flow", paramLabel = "PATH", description = "Only runs of this flow.")
  String flow;

  @Option(
      names = {"-s", "--search"},
      paramLabel = "GLOB",
      description = "Only runs whose fid or flow match.")
  String search;

  @Option(
      names = {"-p", "--page"},
      paramLabel = "N",
      defaultValue = "0",
      description = "The page, from 0 (default: 0).")
  int page;

  @Option(
      names = "--per-page",
      paramLabel = "N",
      defaultValue = "20",
      description = "Runs per page, 1 to 1000 (default: 20).")
  int perPage;

  @Option(names = "--json", description = "Print the node's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    ListArgs.checkPage(page, perPage);
    Map<String, String> params = new LinkedHashMap<>();
    if (states != null && !states.isEmpty()) {
      params.put(
          "state",
          states.stream().map(s -> RunState.parse(s).wire()).collect(Collectors.joining(",")));
    }
    if (flow != null) {
      params.put("flow", flow);
    }
    if (search != null) {
      params.put("search", search);
    }
    params.put("p", Integer.toString(page));
    params.put("pp", Integer.toString(perPage));
    params.put("by", "created desc");
    Page<RunDocument> runs = node.client().runs(params);
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(runs));
      return Exit.OK;
    }
    if (runs.items().isEmpty()) {
      boolean filtered = states != null && !states.isEmpty() || flow != null || search != null;
      out.println(
          runs.filtered() > 0
              ? "no runs on page " + page + " (there are " + runs.filtered() + ")"
              : filtered ? "no runs match (of " + runs.total() + ")" : "no runs yet");
      return Exit.OK;
    }
    ZoneId zone = ZoneId.systemDefault();
    Table table = new Table("FID", "FLOW", "STATE", "PROGRESS", "CREATED", "RUNTIME");
    for (RunDocument r : runs.items()) {
      table.row(
          r.fid(),
          r.flow(),
          r.state() == null ? "?" : r.state().wire(),
          r.progress() == null ? "" : Math.round(r.progress().value() * 100) + "%",
          r.created() == null ? "" : WHEN.format(r.created().atZone(zone)),
          r.runtime() == null ? "" : EventRenderer.seconds(r.runtime()));
    }
    table.print(out, "");
    long from = (long) page * perPage + 1;
    long to = from + runs.items().size() - 1;
    out.println();
    out.println(
        "runs "
            + from
            + "–"
            + to
            + " of "
            + runs.filtered()
            + (to < runs.filtered() ? "; --page " + (page + 1) + " for more" : ""));
    return Exit.OK;
  }
}
