package dev.kodo.cli;

import dev.kodo.client.FlowInfo;
import dev.kodo.client.Json;
import dev.kodo.client.Page;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/** {@code koco flows}: the flows a node offers; {@code koco flows show PATH}: one of them. */
@Command(
    mixinStandardHelpOptions = true,
    name = "flows",
    description = "List the flows a node offers.",
    subcommands = FlowsCommand.Show.class)
final class FlowsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NodeOptions node;

  @Option(names = {"-s", "--search"}, paramLabel = "GLOB", description = "Only flows whose name, description, author, path or tags match, e.g. 'report' or 'mark*'.")
  String search;

  @Option(names = "--json", description = "Print the node's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    String query = "/api/flows?pp=1000&by=path"
        + (search == null || search.isBlank() ? "" : "&search=" + URLEncoder.encode(search, StandardCharsets.UTF_8).replace("+", "%20"));
    JsonNode answer = node.client().getJson(query);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(answer));
      return Exit.OK;
    }
    Page<FlowInfo> page = Json.mapper().convertValue(answer, new TypeReference<Page<FlowInfo>>() {});
    if (page.items().isEmpty()) {
      out.println(search == null ? "this node offers no flows" : "no flow matches '" + search + "' (of " + page.total() + ")");
      return Exit.OK;
    }
    Table table = new Table("PATH", "NAME", "RELEASE", "TAGS");
    for (FlowInfo f : page.items()) {
      table.row(f.path(), f.name(), f.release(), f.tags() == null ? "" : String.join(", ", f.tags()));
    }
    table.print(out, "");
    out.println();
    out.println(search == null
        ? page.total() + " flow" + (page.total() == 1 ? "" : "s") + "; koco flows show PATH for one flow's inputs"
        : page.filtered() + " of " + page.total() + " flows match '" + search + "'");
    return Exit.OK;
  }

  /** {@code koco flows show PATH}. */
  @Command(mixinStandardHelpOptions = true, name = "show", description = "Show one flow: what it does, the inputs it takes, and how to launch it.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "PATH", description = "The flow's path on the node, e.g. dev.kodo.examples.MarketReport.")
    String path;

    @Option(names = "--json", description = "Print the flow as JSON, with its input schema and form hints.")
    boolean json;

    @Override
    public Integer call() {
      FlowInfo flow = node.client().flow(path);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(flow));
      } else {
        FlowView.print(out, flow);
      }
      return Exit.OK;
    }
  }
}
