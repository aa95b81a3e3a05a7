package dev.kodo.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The inputs of a run, as {@code koco run} and {@code koco launch} take them. */
final class InputOptions {
  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=VALUE",
      description = {
        "One input of the flow; repeat for more. The value is everything after the first '=' "
            + "and is given as text: the flow's form turns it into a number, true/false or a date (2026-11-27)."
      })
  List<String> pairs = new ArrayList<>();

  @Option(
      names = "--inputs-json",
      paramLabel = "JSON",
      description =
          "All inputs as one JSON object, or @FILE to read it from a file. --input values replace its fields.")
  String json;

  /** The raw inputs; throws a usage error naming a malformed argument. */
  Map<String, Object> values() {
    return InputArgs.parse(pairs, json);
  }
}
