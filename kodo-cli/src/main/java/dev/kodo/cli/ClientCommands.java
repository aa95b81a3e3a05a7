package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.Json;
import dev.kodo.client.Page;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code koco client add|list|remove}: an operator's management of the OAuth2 clients nodes and
 * workers log in with ({@code /auth/clients}, docs/security.md). A new client's secret is printed
 * once, by {@code add}; the provider keeps only its hash.
 */
final class ClientCommands {
  private ClientCommands() {}

  /** {@code koco client}: only its subcommands do something. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "client",
      description = {
        "Manage the OAuth2 clients of nodes and workers (operators).",
        "",
        "A node's client (subject node:ID) lets it read grants and announce itself to a registry; a worker's "
            + "(worker:ID) lets it serve its node. The secret is shown once, when the client is added."
      },
      footer = {
        "",
        "Examples:",
        "  koco client add alpha --kind node",
        "  koco client add w1 --kind worker --node alpha",
        "  koco client list"
      },
      subcommands = {Add.class, ListClients.class, Remove.class})
  static final class Clients implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "missing a subcommand: add, list or remove");
    }
  }

  /** {@code koco client add ID --kind node|worker [--node NODE]}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "add",
      description = {"Add a client and print its secret, this once."},
      footer = {"", "Example:", "  koco client add alpha --kind node"})
  static final class Add extends ProviderCommand {
    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The client id: a node's name (its kodo.node.name) or a worker's.")
    String id;

    @Option(
        names = "--kind",
        paramLabel = "KIND",
        defaultValue = "node",
        description = "node or worker (default: node).")
    String kind;

    @Option(
        names = "--node",
        paramLabel = "NODE",
        description = "The node it belongs to (a worker's node; a node's own name by default).")
    String node;

    @Option(
        names = "--json",
        description = "Print {client_id, client_secret} as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      UserCommands.checkName(id, "ID");
      if (!kind.equals("node") && !kind.equals("worker")) {
        throw CliException.usage("--kind must be node or worker, not '" + kind + "'");
      }
      if (node != null) UserCommands.checkName(node, "--node");
      String n = node != null ? node : kind.equals("node") ? id : null;
      AuthClient.NewClient c = auth().addClient(id, kind, n);
      PrintWriter out = out();
      if (json) {
        out.println(Json.write(c));
        return Exit.OK;
      }
      out.println("client " + kind + ":" + c.clientId() + " added; its secret, shown this once:");
      out.println();
      out.println("  " + c.clientSecret());
      out.println();
      out.println(
          "Give it to the "
              + kind
              + " as kodo.auth.client-secret (its environment variable) with kodo.auth.client-id="
              + c.clientId()
              + "; koco client remove "
              + c.clientId()
              + " revokes it.");
      return Exit.OK;
    }
  }

  /** {@code koco client list}. */
  @Command(mixinStandardHelpOptions = true, name = "list", description = "List the clients.")
  static final class ListClients extends ProviderCommand {
    @Option(names = "--json", description = "Print the provider's list as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Page<AuthClient.Client> clients = auth().clients();
      PrintWriter out = out();
      if (json) {
        out.println(Json.write(clients));
        return Exit.OK;
      }
      Table table = new Table("CLIENT", "KIND", "NODE");
      for (AuthClient.Client c : clients.items()) {
        table.row(c.clientId(), orDash(c.kind()), orDash(c.node()));
      }
      table.print(out, "");
      out.println();
      out.println(ListArgs.plural(clients.total(), "client"));
      return Exit.OK;
    }

    private static String orDash(String s) {
      return s == null || s.isBlank() ? "-" : s;
    }
  }

  /** {@code koco client remove ID}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "remove",
      description =
          "Remove a client: its secret no longer gets tokens (those it has expire in minutes).")
  static final class Remove extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The client id.")
    String id;

    @Override
    public Integer call() {
      auth().removeClient(id);
      out().println("client " + id + " removed");
      return Exit.OK;
    }
  }
}
