package dev.kodo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The server commands. Spring is touched only inside {@link NodeServer}, which is loaded when one
 * of them runs, never when {@code koco} merely parses its arguments.
 */
abstract class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServerOptions options;

  abstract String what();

  @Override
  public Integer call() {
    var args = options.springArgs();
    return NodeServer.serve(what(), args, spec.commandLine().getOut());
  }

  /** {@code koco serve}: everything a single machine needs, in one process. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "serve",
      description = {
        "Start Kodo on this machine: a node and an embedded worker.",
        "Listens on 127.0.0.1:3370, offers the example flows, runs until Ctrl-C."
      })
  static final class Serve extends ServerCommand {
    @Override
    String what() {
      return "Kodo";
    }
  }

  /** {@code koco node}: the node alone (for now the same as {@code serve}). */
  @Command(mixinStandardHelpOptions = true, name = "node", description = {"Start a node (with an embedded worker). Runs until Ctrl-C."})
  static final class Node extends ServerCommand {
    @Override
    String what() {
      return "Kodo node";
    }
  }
}
