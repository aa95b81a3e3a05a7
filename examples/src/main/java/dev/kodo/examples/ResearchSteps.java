package dev.kodo.examples;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works through a research plan step by step: each step reports progress, records an action and
 * emits an intermediate result, and the flow ends with a Markdown summary of what it found. It
 * needs no model; the "findings" are derived from the topic.
 */
public final class ResearchSteps implements Flow {
  private static final String[] STEPS = {
    "Frame the question", "Collect sources", "Read and take notes", "Compare viewpoints",
    "Check the numbers", "Draft conclusions", "Review the draft", "Polish the summary"
  };

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Research steps")
        .description(
            "Walks through a research plan, reporting progress and intermediate findings at every step.")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.0.0")
        .tags("example", "research", "progress")
        .inputs(
            Form.builder()
                .markdown(
                    "Pick a topic; the flow shows how a multi-step agent reports what it is doing.")
                .text(
                    "topic",
                    f ->
                        f.label("Topic")
                            .required()
                            .minLength(2)
                            .maxLength(200)
                            .placeholder("e.g. heat pumps in old buildings"))
                .number(
                    "steps",
                    f -> f.label("Steps").integer().min(1).max(STEPS.length).defaultValue(4))
                .number(
                    "pause",
                    f ->
                        f.label("Pause per step (ms)")
                            .integer()
                            .min(0)
                            .max(10_000)
                            .defaultValue(250)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) throws InterruptedException {
    String topic = ctx.inputs().text("topic");
    int steps = (int) ctx.inputs().integer("steps");
    long pause = ctx.inputs().integer("pause");
    List<Map<String, Object>> findings = new ArrayList<>();
    System.out.println("researching '" + topic + "' in " + steps + " steps");
    for (int i = 0; i < steps; i++) {
      ctx.checkCancelled();
      String step = STEPS[i];
      ctx.progress((double) i / steps, step);
      ctx.action("step", Map.of("index", i + 1, "name", step));
      Thread.sleep(pause);
      Map<String, Object> finding = new LinkedHashMap<>();
      finding.put("step", step);
      finding.put(
          "note",
          step + " for " + topic + ": " + (topic.length() * (i + 3)) % 97 + " relevant items");
      findings.add(finding);
      ctx.result(Result.json(finding));
    }
    ctx.progress(1.0, "done");
    StringBuilder md = new StringBuilder("# Research: ").append(topic).append("\n\n");
    md.append("| # | Step | Note |\n|---|------|------|\n");
    for (int i = 0; i < findings.size(); i++) {
      md.append("| ")
          .append(i + 1)
          .append(" | ")
          .append(findings.get(i).get("step"))
          .append(" | ")
          .append(findings.get(i).get("note"))
          .append(" |\n");
    }
    md.append("\nAll ").append(steps).append(" steps completed.\n");
    return Result.markdown(md.toString());
  }
}
