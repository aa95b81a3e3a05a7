package dev.kodo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to one node: the {@code --node} option and the command's own output, shared
 * by every such command so each states only what it adds. Not thread-safe: picocli fills one in and
 * calls it once.
 */
abstract class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NodeOptions node;

  /** Where the command prints its answer. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where the command prints what went wrong. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
