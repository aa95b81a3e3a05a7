package dev.kodo.cli;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.LocalRun;
import dev.kodo.engine.RunEnvironment;
import dev.kodo.engine.RunOutcome;
import dev.kodo.engine.Secrets;
import dev.kodo.sdk.InvalidInputsException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
      "a .java file, which is compiled in memory, or a .yaml crew (checked before it runs: each problem",
      "is printed as file:line:column: message and koco exits 2).",
      "A crew's ${VAR} placeholders take their values from --set VAR=VALUE or the environment.",
      "When the flow asks a person (a lock), koco asks on the terminal, or answers with --answer."
    },
    footer = {
      "",
      "Examples:",
      "  koco run dev.kodo.examples.MarketReport -i company=ACME -i quarter=Q2",
      "  koco run flows/Hello.java --inputs-json '{\"name\":\"Ada\"}' --json",
      "  koco run examples/crews/competitor-analysis.yaml -i company=ACME --set OPENAI_BASE_URL=http://127.0.0.1:8080/v1",
      "  koco run dev.kodo.examples.PlanApproval -i goal='new wiki' --answer approve=true"
    })
final class RunCommand implements Callable<Integer> {
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FLOW",
      description = "A flow class name, a .java file or a .yaml crew.")
  String flow;

  @Mixin InputOptions inputs;

  @Option(
      names = "--answer",
      paramLabel = "NAME=VALUE",
      description = {
        "A value for the locks the run opens (when the flow asks a person); repeat for more. Each lock takes "
            + "the names its form asks for. Without --answer koco asks on a terminal; elsewhere a run that locks is killed."
      })
  List<String> answers = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "NAME=VALUE",
      description = {
        "A value for the ${NAME} placeholders of a crew, over the environment's (prefer the environment"
            + " for keys: a command line is visible to other users); kodo.agents.KEY=VALUE sets an engine"
            + " setting (docs/configuration.md). Repeat for more."
      })
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--json",
      description = "Print each event as one line of JSON instead of readable text.")
  boolean json;

  @Override
  public Integer call() {
    Map<String, Object> raw = inputs.values();
    Map<String, Object> preset = InputArgs.parse(answers, null, InputArgs.ANSWERS);
    RunEnvironment environment = environment(sets);
    LoadedFlow loaded = load(flow);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = loaded.launchProblems(environment.secrets());
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("koco: " + loaded.path() + " cannot start: " + p));
      return Exit.USAGE;
    }
    EventRenderer renderer = new EventRenderer(out, ZoneId.systemDefault(), json, Style.detect());
    BlockingDeque<Event> signals = new LinkedBlockingDeque<>();
    LocalRun run;
    try {
      run =
          LocalRun.prepare(
              loaded,
              raw,
              event -> {
                renderer.print(event);
                if (event.kind().equals("lock")) {
                  signals.add(event);
                }
              },
              environment);
    } catch (InvalidInputsException e) {
      err.println("koco: invalid inputs for " + loaded.path() + ":");
      e.errors().forEach(f -> err.println("  - " + f.field() + ": " + f.message()));
      err.println();
      FlowView.printInputs(err, loaded.info());
      return Exit.USAGE;
    }
    LocalLocks locks =
        new LocalLocks(
            run, signals, preset, !answers.isEmpty(), Terminal.current(), json ? err : out, err);
    RunOutcome outcome = execute(run, signals, locks);
    locks.reportUnused();
    return outcome == RunOutcome.DONE ? Exit.OK : Exit.FAILED;
  }

  /**
   * Runs the flow on a thread of its own while this one answers its locks; Ctrl-C kills the run (a
   * {@code kill} event) and lets the flow stop.
   */
  private static RunOutcome execute(LocalRun run, BlockingDeque<Event> signals, LocalLocks locks) {
    CountDownLatch ended = new CountDownLatch(1);
    Thread onCtrlC =
        new Thread(
            () -> {
              if (run.kill()) {
                try {
                  ended.await(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "koco-run-kill");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    AtomicReference<RunOutcome> outcome = new AtomicReference<>();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread flowThread =
        Thread.ofPlatform()
            .name("koco-run-" + run.fid())
            .daemon()
            .start(
                () -> {
                  try {
                    outcome.set(run.execute());
                  } catch (RuntimeException | Error e) {
                    failure.set(
                        e instanceof RuntimeException re ? re : new IllegalStateException(e));
                  } finally {
                    signals.add(LocalLocks.END);
                  }
                });
    try {
      locks.serve();
      flowThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.kill();
    } finally {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C came: the hook is running and ends once it sees the run ended.
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return outcome.get() == null ? RunOutcome.KILLED : outcome.get();
  }

  /** The run's secrets (--set over the environment) and engine settings (--set kodo.agents.*). */
  private static RunEnvironment environment(List<String> sets) {
    Map<String, String> secrets = new java.util.LinkedHashMap<>();
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("--set needs NAME=VALUE, not '" + set + "'");
      }
      String name = set.substring(0, eq).trim();
      String value = set.substring(eq + 1);
      if (name.startsWith(AGENTS) && name.length() > AGENTS.length()) {
        settings.put(name.substring(AGENTS.length()), value);
      } else if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        secrets.put(name, value);
      } else {
        // The name only: the value may be a key.
        throw CliException.usage(
            "--set "
                + name
                + ": a variable name is letters, digits and _ (as in ${NAME}), or kodo.agents.KEY"
                + " for an engine setting");
      }
    }
    return new RunEnvironment(Secrets.of(secrets).orElse(Secrets.environment()), settings);
  }

  private static final String AGENTS = "kodo.agents.";

  private static LoadedFlow load(String source) {
    List<LoadedFlow> found;
    try {
      found = FlowCatalog.resolve(source.trim(), RunCommand.class.getClassLoader());
    } catch (KodoException e) {
      throw CliException.usage(e.getMessage());
    }
    if (found.size() != 1) {
      throw CliException.usage(
          "'"
              + source
              + "' names "
              + found.size()
              + " flows; koco run takes one class name, .java file or .yaml crew");
    }
    return found.getFirst();
  }
}
