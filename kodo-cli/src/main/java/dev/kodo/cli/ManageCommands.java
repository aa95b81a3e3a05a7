package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.Share;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Managing one run on a node: {@code koco kill}, {@code restart}, {@code ack}, {@code delete} and
 * {@code share}. Each prints one line saying what happened, or with {@code --json} the node's
 * answer; a run in the wrong state for the command is the node's 409 (exit 3).
 */
final class ManageCommands {
  private ManageCommands() {}

  private static String state(RunDocument run) {
    return run.state() == null ? "?" : run.state().wire();
  }

  /** A command that does one thing to one run and prints the run document the node answers. */
  abstract static class OnRun extends NodeCommand {
    @Parameters(index = "0", paramLabel = "FID", description = "The run's id.")
    String fid;

    @Option(names = "--json", description = "Print the run document the node answers.")
    boolean json;

    /** Asks the node to do it; the run document it answers. */
    abstract RunDocument act(NodeClient client);

    /** One line saying what happened. */
    abstract String describe(RunDocument run);

    @Override
    public Integer call() {
      RunDocument run = act(node.client());
      out().println(json ? Json.write(run) : describe(run));
      return Exit.OK;
    }
  }

  /** A change of a run's state: one call of the node's and one line saying it was {@code done}. */
  abstract static class Change extends OnRun {
    private final BiFunction<NodeClient, String, RunDocument> change;
    private final String done;

    Change(BiFunction<NodeClient, String, RunDocument> change, String done) {
      this.change = change;
      this.done = done;
    }

    @Override
    RunDocument act(NodeClient client) {
      return change.apply(client, fid);
    }

    @Override
    String describe(RunDocument run) {
      return "run " + run.fid() + " of " + run.flow() + " " + done + " (" + state(run) + ")";
    }
  }

  /** {@code koco kill FID}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "kill",
      description = {
        "Kill a pending or locked run; its flow is stopped.",
        "",
        "A run that has ended cannot be killed (exit 3)."
      })
  static final class Kill extends Change {
    Kill() {
      super(NodeClient::kill, "killed");
    }
  }

  /** {@code koco restart FID}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "restart",
      description = {
        "Start a run again: a new run of its flow with a copy of its inputs.",
        "",
        "Prints the new run's fid; with --follow, its events live until it ends (the exit code then tells how it ended)."
      },
      footer = {"", "Example:", "  fid=$(koco restart 01a2…cdac)"})
  static final class Restart extends NodeCommand {
    @Parameters(index = "0", paramLabel = "FID", description = "The id of the run to start again.")
    String fid;

    @Option(
        names = {"-f", "--follow"},
        description = "Follow the new run's events until it ends.")
    boolean follow;

    @Option(
        names = "--json",
        description = "Print the new run's document (or, with --follow, each event) as JSON.")
    boolean json;

    @Override
    public Integer call() {
      NodeClient client = node.client();
      RunDocument run = client.restart(fid);
      return RunFollower.printOrFollow(client, run, "restarted from " + fid, follow, json, out());
    }
  }

  /** {@code koco ack FID}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "ack",
      description = {
        "Acknowledge a finished run (it has been seen to).",
        "",
        "Acknowledged runs are cleaned up sooner. A run that has not finished cannot be acknowledged (exit 3)."
      })
  static final class Ack extends Change {
    Ack() {
      super(NodeClient::acknowledge, "acknowledged");
    }
  }

  /** {@code koco delete FID}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "delete",
      description = {
        "Delete a finished run and all its data.",
        "",
        "Its events and shares go too; this cannot be undone. Asks first on a terminal; elsewhere --yes is needed "
            + "(without it: exit 2). A run that has not finished cannot be deleted (exit 3): kill it first."
      })
  static final class Delete extends NodeCommand {
    @Parameters(index = "0", paramLabel = "FID", description = "The run's id.")
    String fid;

    @Option(
        names = {"-y", "--yes"},
        description = "Delete without asking.")
    boolean yes;

    @Option(
        names = "--json",
        description = "Print {\"fid\":…,\"deleted\":true} (the node answers no body).")
    boolean json;

    @Override
    public Integer call() {
      Terminal terminal = Terminal.current();
      if (!yes && !terminal.interactive()) {
        throw CliException.usage(
            "not deleting run "
                + fid
                + " without confirmation: standard input is not a terminal to ask on; add --yes");
      }
      NodeClient client = node.client();
      PrintWriter out = out();
      if (!yes) {
        RunDocument run = client.run(fid);
        out.flush();
        // A run that has not finished is the node's to refuse (409), without asking first.
        if (run.state() != null
            && run.state().finished()
            && !terminal.confirm(
                "Delete run "
                    + fid
                    + " of "
                    + run.flow()
                    + " ("
                    + state(run)
                    + ", "
                    + run.events()
                    + " events) and all its data?")) {
          out.println("run " + fid + " kept");
          return Exit.FAILED;
        }
      }
      client.delete(fid);
      out.println(
          json ? Json.write(Map.of("fid", fid, "deleted", true)) : "run " + fid + " deleted");
      return Exit.OK;
    }
  }

  /** {@code koco share FID --with a,b}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "share",
      description = {
        "Share a run with users or groups.",
        "",
        "They see it at --level (basic: inputs, progress, final; advanced: + results; full: + config, agents, tasks, "
            + "actions, logs) in --mode (r: see the run; x: see it and launch). Sharing with a subject again replaces its level and mode."
      },
      footer = {"", "Example:", "  koco share 01a2…cdac --with ada,ops-team --level advanced"})
  static final class ShareRun extends OnRun {
    @Option(
        names = {"-w", "--with"},
        split = ",",
        required = true,
        paramLabel = "SUBJECT",
        description = "Users or groups to share with, comma-separated or repeated.")
    List<String> subjects;

    @Option(
        names = {"-l", "--level"},
        paramLabel = "LEVEL",
        defaultValue = "basic",
        description = "What they see: basic, advanced or full (default: basic).")
    String level;

    @Option(
        names = {"-m", "--mode"},
        paramLabel = "MODE",
        defaultValue = "r",
        description = "r (see the run) or x (see it and launch the flow) (default: r).")
    String mode;

    @Override
    RunDocument act(NodeClient client) {
      return client.share(fid, subjects, level, mode);
    }

    @Override
    String describe(RunDocument run) {
      return "run " + run.fid() + " is shared with " + shares(run.shares());
    }

    static String shares(List<Share> shares) {
      if (shares == null || shares.isEmpty()) {
        return "nobody";
      }
      return shares.stream()
          .map(s -> s.subject() + " (" + s.level() + ", " + s.mode() + ")")
          .collect(Collectors.joining(", "));
    }
  }
}
