package dev.kodo.cli;

import dev.kodo.client.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code koco cleanup}: which finished runs the node's cleanup removes; with {@code --apply},
 * removes them.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "cleanup",
    description = {
      "Show the finished runs past their retention; --apply removes them.",
      "",
      "Acknowledged runs are kept for less time than others; the node's settings say how long. With --apply, "
          + "the runs and all their data are removed, and what was removed is shown."
    })
final class CleanupCommand extends NodeCommand {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  @Option(names = "--apply", description = "Remove the runs (default: only show them).")
  boolean apply;

  @Option(names = "--json", description = "Print the node's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonNode report = node.client().cleanup(apply);
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(report));
      return Exit.OK;
    }
    ZoneId zone = ZoneId.systemDefault();
    Table table = new Table("FID", "FLOW", "STATE", "FINISHED", "ACK", "REASON");
    for (JsonNode r : report.path("items")) {
      table.row(
          EventRenderer.text(r, "fid", ""),
          EventRenderer.text(r, "flow", ""),
          EventRenderer.text(r, "state", ""),
          when(EventRenderer.text(r, "finished", null), zone),
          r.path("acknowledged").asBoolean(false) ? "yes" : "no",
          EventRenderer.text(r, "reason", ""));
    }
    int count = report.path("count").asInt(table.isEmpty() ? 0 : report.path("items").size());
    String rules =
        "acknowledged runs are kept "
            + duration(EventRenderer.text(report, "acknowledgedAfter", "?"))
            + " after they finish, any other finished run "
            + duration(EventRenderer.text(report, "finishedAfter", "?"));
    if (!table.isEmpty()) {
      table.print(out, "");
      out.println();
    }
    String runs = count + " run" + (count == 1 ? "" : "s");
    if (apply) {
      out.println(
          count == 0
              ? "nothing to remove (" + rules + ")"
              : "removed " + runs + " (" + rules + ")");
    } else {
      out.println(
          count == 0
              ? "nothing to clean up (" + rules + ")"
              : runs
                  + " would be removed ("
                  + rules
                  + "); koco cleanup --apply removes "
                  + (count == 1 ? "it" : "them"));
    }
    return Exit.OK;
  }

  /** An ISO-8601 duration ({@code PT168H}) in words ({@code 7 days}); as it is if it is none. */
  static String duration(String iso) {
    Duration d;
    try {
      d = Duration.parse(iso);
    } catch (DateTimeParseException notIso) {
      return iso;
    }
    long s = d.toSeconds();
    if (s == 0) {
      return "0 seconds";
    }
    if (s % 86_400 == 0) {
      return plural(s / 86_400, "day");
    }
    if (s % 3_600 == 0) {
      return plural(s / 3_600, "hour");
    }
    if (s % 60 == 0) {
      return plural(s / 60, "minute");
    }
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String when(String instant, ZoneId zone) {
    if (instant == null) {
      return "";
    }
    try {
      return WHEN.format(Instant.parse(instant).atZone(zone));
    } catch (DateTimeParseException e) {
      return instant;
    }
  }
}
