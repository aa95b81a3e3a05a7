package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code koco lock}: shows what a locked run waits for, and answers it. */
@Command(
    mixinStandardHelpOptions = true,
    name = "lock",
    description = {
      "Show what a locked run asks for, and answer it.",
      "",
      "The answer comes from --data/--json-data; without them, koco asks for each field when standard input is a "
          + "terminal. When the flow denies the answer, its reasons are printed and, on a terminal, the fields they "
          + "name are asked again. Exit 0 when the flow accepts the answer; 1 when it denies it or does not judge it "
          + "in time (the lock stays open); 3 when the run has no such open lock."
    },
    footer = {
      "",
      "Examples:",
      "  koco lock 01a2…cdac --show",
      "  koco lock 01a2…cdac --data approve=false --data comment='too expensive'",
      "  koco lock 01a2…cdac --json-data '{\"approve\":true}'"
    })
final class LockCommand extends NodeCommand {
  @Parameters(index = "0", paramLabel = "FID", description = "The run's id.")
  String fid;

  @Option(
      names = "--lid",
      paramLabel = "LID",
      description = "The lock's id (default: the run's open lock).")
  String lid;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "NAME=VALUE",
      description =
          "One value of the answer; repeat for more. Given as text: the demand's form turns it into a number, true/false or a date.")
  List<String> data = new ArrayList<>();

  @Option(
      names = "--json-data",
      paramLabel = "JSON",
      description =
          "The whole answer as one JSON object, or @FILE. --data values replace its fields.")
  String jsonData;

  @Option(names = "--show", description = "Only show the demand; answer nothing.")
  boolean show;

  @Option(
      names = "--json",
      description = "Print the node's answer (with --show: the demand) as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Map<String, Object> given = InputArgs.parse(data, jsonData, InputArgs.DATA);
    boolean answerGiven = !data.isEmpty() || jsonData != null;
    if (show && answerGiven) {
      throw CliException.usage(
          "--show only shows the demand; leave out --data and --json-data, or --show to answer");
    }
    PrintWriter out = out();
    PrintWriter err = err();
    NodeClient client = node.client();
    String lockId = lid != null ? lid : openLock(client, fid);
    JsonNode lock = client.demand(fid, lockId);
    ZoneId zone = ZoneId.systemDefault();
    if (show) {
      if (json) {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(lock));
      } else {
        LockView.print(out, lock, fid, zone);
        out.println();
        out.println("Answer it:");
        out.println("  " + LockView.answerLine(fid, lock));
      }
      return Exit.OK;
    }
    Terminal terminal = Terminal.current();
    if (!json) {
      LockView.print(out, lock, fid, zone);
      out.println();
      out.flush();
    }
    if (!answerGiven && !terminal.interactive()) {
      err.println(
          "koco: no answer given, and standard input is not a terminal to ask on; answer with --data NAME=VALUE, e.g.");
      err.println("  " + LockView.answerLine(fid, lock));
      return Exit.USAGE;
    }
    Map<String, Object> values = new LinkedHashMap<>(given);
    JsonNode[] accepted = new JsonNode[1];
    boolean ok =
        new LockPrompt(terminal)
            .answer(
                LockView.fields(lock),
                values,
                !answerGiven,
                v -> {
                  out.flush();
                  try {
                    accepted[0] = client.answer(fid, lockId, v);
                    return null;
                  } catch (NodeException e) {
                    if (e.status() == 504) {
                      String detail = e.problem().detail();
                      throw new CliException(
                          Exit.FAILED,
                          "no verdict in time: "
                              + (detail == null || detail.isBlank()
                                  ? "the flow of run " + fid + " did not judge the answer in time"
                                  : detail)
                              + " (koco status "
                              + fid
                              + " shows the run)");
                    }
                    if (e.status() != 422) {
                      throw e;
                    }
                    Koco.report(e, err);
                    List<FieldError> errors = e.problem().errors();
                    return errors.isEmpty() ? List.of(new FieldError("", "denied")) : errors;
                  }
                });
    if (!ok) {
      return Exit.FAILED;
    }
    JsonNode answer = accepted[0];
    out.println(
        json
            ? Json.write(answer)
            : "answer "
                + EventRenderer.text(answer, "cid", "?")
                + " accepted: lock "
                + lockId
                + " of run "
                + fid
                + " is released");
    return Exit.OK;
  }

  /**
   * The id of the run's open lock, from its run document.
   *
   * @throws CliException with {@link Exit#NODE} if the run has no open lock
   */
  static String openLock(NodeClient client, String fid) {
    RunDocument run = client.run(fid);
    String lid = run.lock() == null ? null : EventRenderer.text(run.lock(), "lid", null);
    if (lid != null) {
      return lid;
    }
    RunState state = run.state();
    String why =
        state == RunState.PENDING
            ? " (it is pending; koco follow " + fid + " shows when it locks)"
            : " (it is " + (state == null ? "?" : state.wire()) + ")";
    throw new CliException(Exit.NODE, "run " + fid + " has no open lock" + why);
  }
}
