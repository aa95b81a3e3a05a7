package dev.kodo.cli;

import dev.kodo.client.FlowInfo;
import dev.kodo.client.KodoException;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code koco launch}: starts a run on a node; prints its fid, or follows it. */
@Command(
    mixinStandardHelpOptions = true,
    name = "launch",
    description = {
      "Launch a run of a flow on a node and print its fid.",
      "With --follow, print its events live until it ends; the exit code then tells how it ended."
    },
    footer = {
      "",
      "Example:",
      "  fid=$(koco launch dev.kodo.examples.MarketReport --input company=ACME)"
    })
final class LaunchCommand extends NodeCommand {
  @Parameters(
      index = "0",
      paramLabel = "FLOW",
      description = "The flow's path on the node (see koco flows).")
  String flow;

  @Mixin InputOptions inputs;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow the run's events until it ends.")
  boolean follow;

  @Option(
      names = "--json",
      description = "Print the run document (or, with --follow, each event) as JSON.")
  boolean json;

  @Override
  public Integer call() {
    var raw = inputs.values();
    NodeClient client = node.client();
    RunDocument run;
    try {
      run = client.launch(flow, raw);
    } catch (NodeException e) {
      if (e.status() != 400 || e.problem().errors().isEmpty()) {
        throw e;
      }
      PrintWriter err = err();
      int code = Koco.report(e, err);
      showInputs(client, err);
      return code;
    }
    return RunFollower.printOrFollow(client, run, "launched", follow, json, out());
  }

  /** After invalid inputs, the inputs the flow takes; nothing if the node cannot say. */
  private void showInputs(NodeClient client, PrintWriter err) {
    try {
      FlowInfo info = client.flow(flow);
      err.println();
      FlowView.printInputs(err, info);
      err.flush();
    } catch (KodoException ignored) {
      // The error itself was reported; the table is only a help.
    }
  }
}
