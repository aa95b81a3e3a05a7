package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.RegistryNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What an admin does to a registry from the command line: {@code koco register} and {@code koco
 * unregister}.
 */
final class RegistryAdminCommands {
  private RegistryAdminCommands() {}

  /** {@code koco register NODE}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "register",
      description = {
        "Register a node in a registry, so that it may connect and announce its flows.",
        "",
        "The node connects by itself when the registry is in its kodo.registries (or $KODO_REGISTRY); until then it shows "
            + "offline. Registering a node again changes nothing."
      },
      footer = {"", "Example:", "  koco register alpha --registry http://127.0.0.1:3371"})
  static final class Register extends RegistryCommand {
    @Parameters(
        index = "0",
        paramLabel = "NODE",
        description = "The node's name (its kodo.node.name).")
    String node;

    @Option(names = "--json", description = "Print the node as the registry answers it.")
    boolean json;

    @Override
    public Integer call() {
      RegistryNode n = registry.call(r -> r.register(node));
      PrintWriter out = out();
      if (json) {
        out.println(Json.write(n));
      } else {
        out.println(
            "node "
                + n.name()
                + " is registered"
                + (n.connected()
                    ? " (connected)"
                    : "; it shows offline until it connects (its kodo.registries must name this registry)"));
      }
      return Exit.OK;
    }
  }

  /** {@code koco unregister NODE}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "unregister",
      description = {
        "Remove a node from a registry, with the flows it announced and an admin's constraints on them.",
        "",
        "The node can no longer connect until it is registered again. An unknown node is the registry's 404 (exit 3)."
      },
      footer = {"", "Example:", "  koco unregister alpha --registry http://127.0.0.1:3371"})
  static final class Unregister extends RegistryCommand {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node's name.")
    String node;

    @Option(
        names = "--json",
        description = "Print {\"node\":…,\"unregistered\":true} (the registry answers no body).")
    boolean json;

    @Override
    public Integer call() {
      registry.call(
          r -> {
            r.unregister(node);
            return null;
          });
      PrintWriter out = out();
      if (json) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node", node);
        answer.put("unregistered", true);
        out.println(Json.write(answer));
      } else {
        out.println("node " + node + " unregistered: it and its flows are gone from the registry");
      }
      return Exit.OK;
    }
  }
}
