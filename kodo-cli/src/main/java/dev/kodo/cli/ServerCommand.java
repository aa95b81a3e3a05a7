package dev.kodo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The server commands. Spring is touched only inside {@link Servers}, which is loaded when one of
 * them runs, never when {@code koco} merely parses its arguments.
 */
abstract class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  abstract ServerOptions options();

  /** Starts the service with {@code springArgs} and waits until it stops. */
  abstract int serve(List<String> springArgs, PrintWriter out);

  @Override
  public Integer call() {
    var args = options().springArgs();
    return serve(args, spec.commandLine().getOut());
  }

  /**
   * {@code koco serve}: everything a single machine needs, in one process. Unless configured
   * otherwise it offers every flow on koco's class path ({@code classpath:*}): the examples.
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "serve",
      description = {
        "Start Kodo on this machine: a node with its registry and an embedded worker.",
        "Listens on 127.0.0.1:3370 (the registry under /registry, with this node registered and connected),",
        "offers the example flows and crews (unless --flows, kodo.flows or $KODO_FLOWS name others), runs until Ctrl-C."
      })
  static final class Serve extends ServerCommand {
    @Mixin ServerOptions.Node options;

    @Option(
        names = "--no-registry",
        description = "Serve no registry (the node then announces itself only to kodo.registries).")
    boolean noRegistry;

    @Override
    ServerOptions options() {
      return options;
    }

    @Override
    int serve(List<String> springArgs, PrintWriter out) {
      List<String> args = new ArrayList<>(springArgs);
      args.add("--kodo.registry.enabled=" + !noRegistry);
      return Servers.node(
          "Kodo",
          Map.of("kodo.flows", exampleFlows(), "kodo.auth.provider.enabled", "true"),
          args,
          out);
    }

    /**
     * The example flows: every example class on the class path and, when koco finds the
     * repository's {@code examples/crews} directory (under {@code koco.home}, which the launcher
     * sets, or above koco's own code), the example crews in it; without it, the classes only.
     */
    static String exampleFlows() {
      return exampleCrews().map(dir -> "classpath:*," + dir).orElse("classpath:*");
    }

    static java.util.Optional<Path> exampleCrews() {
      String home = System.getProperty("koco.home");
      if (home != null && !home.isBlank()) {
        Path dir = Path.of(home).resolve(CREWS);
        return Files.isDirectory(dir)
            ? java.util.Optional.of(dir.toAbsolutePath().normalize())
            : java.util.Optional.empty();
      }
      try {
        Path at = Path.of(Serve.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (int up = 0; at != null && up < 4; up++, at = at.getParent()) {
          Path dir = at.resolve(CREWS);
          if (Files.isDirectory(dir)) {
            return java.util.Optional.of(dir.toAbsolutePath().normalize());
          }
        }
      } catch (java.net.URISyntaxException | RuntimeException e) {
        // No location to look from: serve the example classes only.
      }
      return java.util.Optional.empty();
    }

    private static final String CREWS = "examples/crews";
  }

  /**
   * {@code koco node}: a node alone, announcing itself to the registries it is configured with, and
   * offering only the flows its configuration names (none by default; the examples are not
   * offered).
   */
  @Command(
      mixinStandardHelpOptions = true,
      name = "node",
      description = {
        "Start a node (with an embedded worker) without a registry"
            + " of its own; it announces itself to kodo.registries (or $KODO_REGISTRY). Runs until Ctrl-C.",
        "It offers only the flows named by --flows, kodo.flows or $KODO_FLOWS (none if none are named)."
      })
  static final class Node extends ServerCommand {
    @Mixin ServerOptions.Node options;

    @Override
    ServerOptions options() {
      return options;
    }

    @Override
    int serve(List<String> springArgs, PrintWriter out) {
      return Servers.node("Kodo node", Map.of(), springArgs, out);
    }
  }

  /** {@code koco registry}: a registry alone. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "registry",
      description = {
        "Start a registry alone: where admins register nodes, nodes announce their flows, and clients find them.",
        "Listens on 127.0.0.1:3371, keeps its data in ./data/registry.db, runs until Ctrl-C."
      },
      footer = {
        "",
        "Examples:",
        "  koco registry --port 3371 --data ./registry-data",
        "  koco register alpha --registry http://127.0.0.1:3371"
      })
  static final class Registry extends ServerCommand {
    @Mixin ServerOptions.Registry options;

    @Override
    ServerOptions options() {
      return options;
    }

    @Override
    int serve(List<String> springArgs, PrintWriter out) {
      return Servers.registry("Kodo registry", springArgs, out);
    }
  }

  /** {@code koco auth}: the auth provider alone; {@code koco auth rotate-key} rotates its key. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "auth",
      description = {
        "Start the auth provider alone: users, groups, grants, OAuth2 clients and signing keys under /auth.",
        "Listens on 127.0.0.1:3372, keeps its data in ./data/auth.db, runs until Ctrl-C. The first start",
        "creates the operator admin with $KODO_ADMIN_PASSWORD, or prints a generated password once."
      },
      subcommands = RotateKeyCommand.class,
      footer = {
        "",
        "Examples:",
        "  KODO_ADMIN_PASSWORD=... koco auth --port 3372 --data ./auth-data",
        "  koco auth rotate-key --url http://127.0.0.1:3372"
      })
  static final class Auth extends ServerCommand {
    @Mixin ServerOptions.Auth options;

    @Override
    ServerOptions options() {
      return options;
    }

    @Override
    int serve(List<String> springArgs, PrintWriter out) {
      return Servers.auth("Kodo auth provider", springArgs, out);
    }
  }
}
