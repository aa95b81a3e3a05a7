package dev.kodo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to one registry: the {@code --registry} option and the command's own output,
 * shared by every such command so each states only what it adds. Not thread-safe: picocli fills one
 * in and calls it once.
 */
abstract class RegistryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RegistryUrlOptions registry;

  /** Where the command prints its answer. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
