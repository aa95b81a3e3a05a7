package dev.kodo.agents.internal;

import dev.kodo.agents.crew.HumanStep;
import dev.kodo.sdk.Demand;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;

/**
 * A crew's human step ({@code human: {after, ask}}, docs/flows.md#how-a-crew-runs): after task
 * {@code after} the run locks with a demand showing {@code ask} and that task's output, fields
 * {@code approve} and {@code comment}. An approval becomes context for the next tasks; a refusal
 * ends the run with a {@code # Declined} result carrying the comment.
 */
final class HumanReview {
  /** Longest comment a person may give. */
  static final int MAX_COMMENT = 4_000;

  private HumanReview() {}

  /** What the person said. */
  record Answer(boolean approved, String comment) {
    /** The answer as context for the next tasks. */
    String asContext(String task) {
      return "A person reviewed the output of task "
          + task
          + " and approved it."
          + (comment.isBlank() ? "" : " Their comment: " + comment);
    }

    /** The run's result when the person declined. */
    Result declined(String task) {
      return Result.markdown(
          "# Declined\n\nThe output of task "
              + task
              + " was not approved."
              + (comment.isBlank() ? "" : "\n\n> " + comment.replace("\n", "\n> ")));
    }
  }

  static Answer ask(FlowContext ctx, HumanStep step, String output) {
    String title = step.ask() == null || step.ask().isBlank() ? "Approve?" : step.ask().strip();
    if (title.length() > 200) {
      title = title.substring(0, 199) + "…";
    }
    Demand demand =
        Demand.builder(title)
            .markdown(
                "**"
                    + step.ask()
                    + "**\n\n## Output of task `"
                    + step.after()
                    + "`\n\n"
                    + (output == null || output.isBlank() ? "*(empty)*" : output))
            .form(
                Form.builder()
                    .bool("approve", f -> f.label("Approve").required())
                    .longText("comment", f -> f.label("Comment").maxLength(MAX_COMMENT)))
            .build();
    Inputs answer = ctx.lock(demand);
    String comment = answer.has("comment") ? answer.text("comment").strip() : "";
    return new Answer(answer.bool("approve"), comment);
  }
}
