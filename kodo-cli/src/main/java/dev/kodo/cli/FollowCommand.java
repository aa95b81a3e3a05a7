package dev.kodo.cli;

import java.time.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code koco follow}: a run's live events, until it ends. */
@Command(
    mixinStandardHelpOptions = true,
    name = "follow",
    description = {
      "Print a run's events live until it ends (at once if it has ended).",
      "The exit code tells how it ended: 0 done, 1 error or killed."
    })
final class FollowCommand extends NodeCommand {
  @Parameters(index = "0", paramLabel = "FID", description = "The run's id.")
  String fid;

  @Option(
      names = "--after",
      paramLabel = "SEQ",
      defaultValue = "0",
      description = "Start after this event (default: 0, the whole log).")
  long after;

  @Option(names = "--json", description = "Print each event as one line of JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (after < 0) {
      throw CliException.usage("--after must be 0 or more, not " + after);
    }
    EventRenderer renderer = new EventRenderer(out(), ZoneId.systemDefault(), json, Style.detect());
    return RunFollower.follow(node.client(), fid, after, renderer);
  }
}
