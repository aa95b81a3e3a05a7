package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code koco nodes}: the nodes a registry knows. */
@Command(
    mixinStandardHelpOptions = true,
    name = "nodes",
    description = {
      "List the nodes a registry knows: whether they are online, where, and how many flows they offer.", "",
      "A registered node shows offline until it connects; --query filters on name, url, online, connected, flows, "
          + "availability, tags, origin and more."
    },
    footer = {"", "Examples:", "  koco nodes --registry http://127.0.0.1:3371", "  koco nodes --query 'online and flows >= 1' --json"})
final class NodesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RegistryOptions registry;

  @Mixin ListArgs list;

  @Option(names = "--json", description = "Print the registry's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    var options = list.options();
    Page<RegistryNode> nodes = registry.call(r -> r.nodes(options));
    PrintWriter out = spec.commandLine().getOut();
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
      table.row(n.name(), n.online() ? "yes" : "no", orDash(n.url()), n.flows(), percent(n.availability()), tags(n.tags()), orDash(n.origin()));
    }
    table.print(out, "");
    out.println();
    out.println(list.summary(nodes, "node"));
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
