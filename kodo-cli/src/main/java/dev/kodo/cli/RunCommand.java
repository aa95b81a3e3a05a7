package dev.kodo.cli;

import dev.kodo.client.KodoException;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.LocalRun;
import dev.kodo.engine.RunOutcome;
import dev.kodo.sdk.InvalidInputsException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code koco run}: runs one flow in this process, without a node, and prints its events live. */
@Command(
    mixinStandardHelpOptions = true,
    name = "run",
    description = {
      "Run a flow in this process, without a node, printing its events live.",
      "FLOW is a flow class on the class path, e.g. dev.kodo.examples.MarketReport,",
      "or a .java file, which is compiled in memory."
    },
    footer = {
      "",
      "Examples:",
      "  koco run dev.kodo.examples.MarketReport -i company=ACME -i quarter=Q2",
      "  koco run flows/Hello.java --inputs-json '{\"name\":\"Ada\"}' --json"
    })
final class RunCommand implements Callable<Integer> {
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FLOW", description = "A flow class name or a .java file.")
  String flow;

  @Mixin InputOptions inputs;

  @Option(names = "--json", description = "Print each event as one line of JSON instead of readable text.")
  boolean json;

  @Override
  public Integer call() {
    Map<String, Object> raw = inputs.values();
    LoadedFlow loaded = load(flow);
    PrintWriter out = spec.commandLine().getOut();
    EventRenderer renderer = new EventRenderer(out, ZoneId.systemDefault(), json, Style.detect());
    LocalRun run;
    try {
      run = LocalRun.prepare(loaded, raw, renderer::print);
    } catch (InvalidInputsException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("koco: invalid inputs for " + loaded.path() + ":");
      e.errors().forEach(f -> err.println("  - " + f.field() + ": " + f.message()));
      err.println();
      FlowView.printInputs(err, loaded.info());
      return Exit.USAGE;
    }
    return execute(run) == RunOutcome.DONE ? Exit.OK : Exit.FAILED;
  }

  /** Runs on this thread; Ctrl-C kills the run (a {@code kill} event) and lets the flow stop. */
  private static RunOutcome execute(LocalRun run) {
    CountDownLatch ended = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      if (run.kill()) {
        try {
          ended.await(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "koco-run-kill");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      return run.execute();
    } finally {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C came: the hook is running and ends once it sees the run ended.
      }
    }
  }

  private static LoadedFlow load(String source) {
    List<LoadedFlow> found;
    try {
      found = FlowCatalog.resolve(source.trim(), RunCommand.class.getClassLoader());
    } catch (KodoException e) {
      throw CliException.usage(e.getMessage());
    }
    if (found.size() != 1) {
      throw CliException.usage("'" + source + "' names " + found.size() + " flows; koco run takes one class name or .java file");
    }
    return found.getFirst();
  }
}
