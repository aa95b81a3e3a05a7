package dev.kodo.examples;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Human in the loop: proposes a plan for a goal, stops until a person approves or rejects it (a
 * rejection needs a comment — the flow denies one without), then carries the plan out or reports
 * why it did not.
 */
public final class PlanApproval implements Flow {

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Plan approval")
        .description(
            "Proposes a plan, waits for a person to approve or reject it, then acts on the answer.")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.0.0")
        .tags("example", "human-in-the-loop", "approval")
        .inputs(
            Form.builder()
                .text(
                    "goal",
                    f ->
                        f.label("Goal")
                            .required()
                            .maxLength(200)
                            .placeholder("move the wiki to the new server"))
                .number(
                    "budget",
                    f -> f.label("Budget (€)").integer().min(0).max(1_000_000).defaultValue(5_000))
                .number(
                    "wait",
                    f ->
                        f.label("Wait for approval (minutes)")
                            .integer()
                            .min(1)
                            .max(7 * 24 * 60)
                            .defaultValue(240)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    String goal = ctx.inputs().text("goal");
    long budget = ctx.inputs().integer("budget");
    List<String> steps =
        List.of(
            "Inventory what exists for: " + goal,
            "Prepare the change",
            "Carry it out",
            "Check the result");
    ctx.progress(0.1, "drafting a plan");
    StringBuilder plan = new StringBuilder("## Proposed plan\n\n");
    for (int i = 0; i < steps.size(); i++) {
      plan.append(i + 1).append(". ").append(steps.get(i)).append('\n');
    }
    plan.append("\nEstimated cost: **")
        .append(budget * 8 / 10)
        .append(" €** of ")
        .append(budget)
        .append(" €.\n");
    ctx.result(Result.markdown(plan.toString()));

    ctx.progress(0.2, "waiting for approval");
    Inputs answer =
        ctx.lock(
            Demand.builder("Approve the plan for: " + goal)
                .markdown(plan + "\nApprove to carry it out; reject with a comment to stop.")
                .form(
                    Form.builder()
                        .bool("approve", f -> f.label("Approve the plan").required())
                        .longText("comment", f -> f.label("Comment").maxLength(2_000).optional()))
                .check(
                    a ->
                        !a.bool("approve") && (!a.has("comment") || a.text("comment").isBlank())
                            ? List.of(new InputError("comment", "say why you reject the plan"))
                            : List.of())
                .build(),
            Duration.ofMinutes(ctx.inputs().integer("wait")));

    String comment = answer.has("comment") ? answer.text("comment") : "";
    if (!answer.bool("approve")) {
      ctx.action("rejected", Map.of("comment", comment));
      return Result.markdown(
          "# Plan rejected\n\nThe plan for *"
              + goal
              + "* was not carried out.\n\n> "
              + comment
              + "\n");
    }
    ctx.action("approved", Map.of("comment", comment));
    StringBuilder report = new StringBuilder("# Plan carried out\n\n");
    for (int i = 0; i < steps.size(); i++) {
      ctx.checkCancelled();
      ctx.progress(0.3 + 0.7 * i / steps.size(), steps.get(i));
      Thread.sleep(100);
      report.append("- [x] ").append(steps.get(i)).append('\n');
    }
    if (!comment.isBlank()) {
      report.append("\nApprover's note: ").append(comment).append('\n');
    }
    return Result.markdown(report.toString());
  }
}
