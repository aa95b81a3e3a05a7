package dev.kodo.cli;

import dev.kodo.client.FlowInfo;
import dev.kodo.client.Json;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.type.TypeReference;

/**
 * {@code koco flows}: the flows a node offers; with {@code --registry}, the flows of every node a
 * registry knows; {@code koco flows show PATH}: one flow of a node.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "flows",
    description = {
      "List the flows a node offers, or with --registry the flows of every node a registry knows.",
      "",
      "A registry's list says where each flow is offered (its node's URL) and whether that node is online; "
          + "--query filters it on node, path, name, release, tags, online, availability and more."
    },
    footer = {
      "",
      "Examples:",
      "  koco flows --search report",
      "  koco flows --registry http://127.0.0.1:3371 --query 'tags contains \"finance\"'"
    },
    subcommands = FlowsCommand.Show.class)
final class FlowsCommand extends NodeCommand {
  @Option(
      names = "--registry",
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "URL",
      description =
          "List a registry's flows instead of a node's. The URL defaults to $"
              + RegistryUrlOptions.ENV
              + ", else "
              + RegistryUrlOptions.DEFAULT_URL
              + ".")
  String registry;

  @Mixin ListArgs list;

  @Option(names = "--json", description = "Print the answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (registry != null) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--node")) {
        throw CliException.usage(
            "--node and --registry cannot be combined: list a node's flows or a registry's");
      }
      return registryFlows();
    }
    if (list.query != null) {
      throw CliException.usage(
          "--query needs --registry: a node's catalogue is searched with --search");
    }
    list.check();
    String search = list.search == null || list.search.isBlank() ? null : list.search;
    String query =
        "/api/flows?pp="
            + (list.perPage == null ? ListArgs.MAX_PER_PAGE : list.perPage)
            + (list.page == null ? "" : "&p=" + list.page)
            + "&by="
            + encode(list.by == null ? "path" : list.by)
            + (search == null ? "" : "&search=" + encode(search));
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(node.client().getJson(query)));
      return Exit.OK;
    }
    Page<FlowInfo> page = node.client().get(query, new TypeReference<Page<FlowInfo>>() {});
    if (page.items().isEmpty()) {
      out.println(list.none(page, "flow", "this node offers no flows"));
      return Exit.OK;
    }
    Table table = new Table("PATH", "NAME", "RELEASE", "TAGS");
    for (FlowInfo f : page.items()) {
      table.row(f.path(), f.name(), f.release(), NodesCommand.tags(f.tags()));
    }
    table.print(out, "");
    out.println();
    out.println(
        list.summary(page, "flow")
            + (search == null ? "; koco flows show PATH for one flow's inputs" : ""));
    return Exit.OK;
  }

  private int registryFlows() {
    var options = list.options();
    Page<RegistryFlow> flows =
        RegistryUrlOptions.call(
            RegistryUrlOptions.client(registry, node.token), r -> r.flows(options));
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(flows));
      return Exit.OK;
    }
    if (flows.items().isEmpty()) {
      out.println(
          list.none(
              flows, "flow", "the registry lists no flows: no registered node has announced any"));
      return Exit.OK;
    }
    Table table = new Table("NODE", "PATH", "NAME", "RELEASE", "ONLINE", "URL", "TAGS", "ORIGIN");
    for (RegistryFlow f : flows.items()) {
      table.row(
          f.node(),
          f.path(),
          f.name(),
          f.release(),
          f.online() ? "yes" : "no",
          NodesCommand.orDash(f.url()),
          NodesCommand.tags(f.tags()),
          NodesCommand.orDash(f.origin()));
    }
    table.print(out, "");
    out.println();
    out.println(
        list.summary(flows, "flow") + "; koco flows show PATH --node URL for one flow's inputs");
    return Exit.OK;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code koco flows show PATH}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "show",
      description = "Show one flow: what it does, the inputs it takes, and how to launch it.")
  static final class Show extends NodeCommand {
    @ParentCommand FlowsCommand flows;

    @Parameters(
        index = "0",
        paramLabel = "PATH",
        description = "The flow's path on the node, e.g. dev.kodo.examples.MarketReport.")
    String path;

    @Option(
        names = "--json",
        description = "Print the flow as JSON, with its input schema and form hints.")
    boolean json;

    @Override
    public Integer call() {
      if (flows.registry != null) {
        throw CliException.usage(
            "koco flows show reads a flow from its node, not from a registry: use --node URL"
                + " with the URL koco flows --registry lists for it");
      }
      FlowInfo flow = node.client().flow(path);
      PrintWriter out = out();
      if (json) {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(flow));
      } else {
        FlowView.print(out, flow);
      }
      return Exit.OK;
    }
  }
}
