package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What clients see of flows' forms stays byte for byte what it was: the flow info (JSON Schema and
 * form hints) of every example flow and of a flow using every field type and option, the demands
 * that the example flows lock with, and the inputs and result events of a run. The expected JSON in
 * {@code src/test/resources/forms} was written by the SDK before its field types became a sealed
 * hierarchy (issue 11).
 */
class FormOutputTest {

  @Test
  void everyExampleFlowShowsTheSameSchemaAndFormAsBefore() {
    for (Class<? extends Flow> flow :
        List.of(
            ResearchSteps.class,
            MarketReport.class,
            FailingFlow.class,
            PlanApproval.class,
            OrderIntake.class,
            AllFields.class)) {
      assertThat(Json.write(LoadedFlow.of(flow).info()))
          .as(flow.getSimpleName())
          .isEqualTo(expected(flow.getSimpleName() + ".json"));
    }
  }

  @Test
  void theExampleFlowsLockWithTheSameDemandsAsBefore() {
    Map<String, Object> demands = new LinkedHashMap<>();
    demands.put(
        "PlanApproval",
        demand(PlanApproval.class, Map.of("goal", "move the wiki", "budget", 1000)));
    demands.put("OrderIntake", demand(OrderIntake.class, Map.of("product", "kettle")));
    assertThat(Json.write(demands)).isEqualTo(expected("demands.json"));
  }

  @Test
  void inputsAndResultsAreWrittenIntoEventsAsBefore() {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("title", "Kodo");
    given.put("notes", "line one\nline two");
    given.put("count", "3");
    given.put("ratio", 0.25);
    given.put("flag", "yes");
    given.put("tone", "playful");
    given.put("day", "2026-12-04");
    TestRun run = FlowTester.of(AllFields.class).run(given);
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("inputs", run.events(EventType.INPUTS).getFirst().dataNode());
    events.put("result", run.events(EventType.RESULT).getFirst().dataNode());
    events.put("final", run.events(EventType.FINAL).getFirst().dataNode().path("result"));
    assertThat(Json.write(events)).isEqualTo(expected("events.json"));
  }

  private static Object demand(Class<? extends Flow> flow, Map<String, ?> inputs) {
    AsyncRun running = FlowTester.of(flow).runAsync(inputs);
    try {
      return running.awaitLock().demand();
    } finally {
      running.kill();
    }
  }

  private static String expected(String name) {
    try (InputStream in = FormOutputTest.class.getResourceAsStream("/forms/" + name)) {
      assertThat(in).as("resource forms/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Every field type with every option it takes. */
  public static final class AllFields implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("All fields")
          .description("Every field type.")
          .author("Kodo team")
          .release("1.2.3")
          .tags("test")
          .inputs(
              Form.builder()
                  .markdown("Some *Markdown* first.")
                  .text(
                      "title",
                      f ->
                          f.label("Title")
                              .description("What it is called")
                              .placeholder("a title")
                              .required()
                              .minLength(2)
                              .maxLength(50)
                              .pattern("[A-Za-z ]+"))
                  .longText("notes", f -> f.label("Notes").maxLength(2000).defaultValue("none"))
                  .number("count", f -> f.label("Count").integer().min(1).max(10).defaultValue(2))
                  .number("ratio", f -> f.min(0.5e-3).max(1.5).defaultValue(0.5))
                  .bool("flag", f -> f.label("Flag").defaultValue(false))
                  .markdown("More below.")
                  .select(
                      "tone",
                      f ->
                          f.label("Tone")
                              .option("neutral", "Neutral")
                              .options("playful", "dry")
                              .defaultValue("neutral"))
                  .date(
                      "day",
                      f ->
                          f.label("Day")
                              .minDate(LocalDate.of(2020, 1, 1))
                              .maxDate(LocalDate.of(2030, 12, 31))
                              .defaultValue("2026-01-02"))
                  .date("free", f -> f.optional()))
          .build();
    }

    @Override
    public Result run(FlowContext ctx) {
      ctx.result(Result.json(Map.of("count", ctx.inputs().integer("count"))));
      return Result.markdown("# Done\n\n\"quoted\" and \\ escaped");
    }
  }
}
