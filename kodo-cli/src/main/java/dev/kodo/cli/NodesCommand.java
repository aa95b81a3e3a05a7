package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code koco nodes}: the nodes a registry knows. */
@Command(
    mixinStandardHelpOptions = true,
    name = "nodes",
    description = {
      "List the nodes a registry knows: whether they are online, where, and how many flows they offer.",
      "",
      "A registered node shows offline until it connects; --query filters on name, url, online, connected, flows, "
          + "availability, tags, origin and more."
    },
    footer = {
      "",
      "Examples:",
      "  koco nodes --registry http://127.0.0.1:3371",
      "  koco nodes --query 'online and flows >= 1' --json"
    })
final class NodesCommand extends RegistryCommand {
  @Mixin ListArgs list;

  @Option(names = "--json", description = "Print the registry's answer as JSON.")
  boolean json;

  @Option(
      names = "--stale",
      description =
          "Show the nodes the registry's cleanup would remove: silent for longer than it keeps them.")
  boolean stale;

  @Option(
      names = "--remove-stale",
      description = "Remove those nodes now, with everything they announced.")
  boolean removeStale;

  @Override
  public Integer call() {
    if (stale || removeStale) return stale();
    var options = list.options();
    Page<RegistryNode> nodes = registry.call(r -> r.nodes(options));
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(nodes));
      return Exit.OK;
    }
    if (nodes.items().isEmpty()) {
      out.println(list.none(nodes, "node", "no nodes are registered; koco register NAME adds one"));
      return Exit.OK;
    }
    Table table = new Table("NAME", "ONLINE", "URL", "FLOWS", "AVAILABILITY", "TAGS", "ORIGIN");
    for (RegistryNode n : nodes.items()) {
      table.row(
          n.name(),
          n.online() ? "yes" : "no",
          orDash(n.url()),
          n.flows(),
          percent(n.availability()),
          tags(n.tags()),
          orDash(n.origin()));
    }
    table.print(out, "");
    out.println();
    out.println(list.summary(nodes, "node"));
    return Exit.OK;
  }

  private int stale() {
    if (stale && removeStale)
      throw CliException.usage("--stale shows what --remove-stale removes; give one of them");
    JsonNode report = registry.call(r -> removeStale ? r.cleanup() : r.cleanupPreview());
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(report));
      return Exit.OK;
    }
    List<String> names = new ArrayList<>();
    report.path(removeStale ? "removed" : "nodes").forEach(n -> names.add(n.asString()));
    String rule =
        "nodes silent for more than "
            + CleanupCommand.duration("PT" + report.path("staleAfter").asLong() + "S")
            + " are stale";
    String count = names.size() + " stale node" + (names.size() == 1 ? "" : "s");
    if (names.isEmpty()) {
      out.println("no stale nodes (" + rule + ")");
    } else if (removeStale) {
      out.println("removed " + count + ": " + String.join(", ", names) + " (" + rule + ")");
    } else {
      out.println(
          count
              + ": "
              + String.join(", ", names)
              + " ("
              + rule
              + "); koco nodes --remove-stale removes "
              + (names.size() == 1 ? "it" : "them"));
    }
    return Exit.OK;
  }

  static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  static String tags(List<String> tags) {
    return tags == null ? "" : String.join(", ", tags);
  }

  /** A share (0..1) as a percentage, {@code 99.5%}; {@code -} when unknown. */
  static String percent(Double share) {
    if (share == null) {
      return "-";
    }
    String p = String.format(Locale.ROOT, "%.1f", share * 100);
    return (p.endsWith(".0") ? p.substring(0, p.length() - 2) : p) + "%";
  }
}
