package dev.kodo.sdk;

/**
 * One agentic workflow written in Java. A node lists it under its class name; {@link #spec()} says
 * what it is and which inputs it takes, {@link #run(FlowContext)} does the work.
 *
 * <pre>{@code
 * public final class Hello implements Flow {
 *   public FlowSpec spec() {
 *     return FlowSpec.builder("Hello")
 *         .description("Greets someone.")
 *         .inputs(Form.builder().text("name", f -> f.label("Your name").required()))
 *         .build();
 *   }
 *
 *   public Result run(FlowContext ctx) {
 *     ctx.progress(0.5, "thinking");
 *     return Result.markdown("# Hello, " + ctx.inputs().text("name"));
 *   }
 * }
 * }</pre>
 *
 * <p>A flow class needs a public no-argument constructor; a new instance serves each run, on its
 * own virtual thread. An exception thrown from {@code run} ends the run with {@code fatal}.
 */
public interface Flow {

  /** What the flow is and the inputs it takes. Called once when a node loads the flow. */
  FlowSpec spec();

  /** Runs the flow once. The returned result becomes the run's {@code final} event. */
  Result run(FlowContext ctx) throws Exception;
}
