package dev.kodo.examples;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * Fails on purpose, after doing a little work, to show what a failed run looks like: the exception
 * becomes a {@code fatal} event with its message and where it was thrown, and the run ends in state
 * {@code error}.
 */
public final class FailingFlow implements Flow {

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Failing flow")
        .description("Starts a job and then fails on purpose, to show how errors are reported.")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.0.0")
        .tags("example", "errors")
        .inputs(
            Form.builder()
                .select(
                    "failure",
                    f ->
                        f.label("How to fail")
                            .option("exception", "Throw an exception")
                            .option("bug", "Hit a bug (null pointer)")
                            .defaultValue("exception")))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ctx.progress(0.3, "connecting to the supplier database");
    System.err.println("warning: supplier database answers slowly");
    if (ctx.inputs().text("failure").equals("bug")) {
      String missing = null;
      return Result.markdown(missing.trim());
    }
    throw new IllegalStateException(
        "supplier database is unreachable (this example fails on purpose)");
  }
}
