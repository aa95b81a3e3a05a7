package dev.kodo.testing;

import dev.kodo.client.Check;
import java.util.function.Predicate;

/**
 * One expected chat completion request of a {@link ScriptedModelServer}'s script and the reply it
 * gets: which requests it accepts, how many times, and what it answers.
 *
 * <pre>{@code
 * ModelStep.containing("Study ACME").model("gpt-4o").reply(ModelReply.text("4 facts"));
 * ModelStep.any().times(2).reply(ModelReply.rateLimited(Duration.ofSeconds(1)));
 * ModelStep.matching("a tool result", r -> !r.toolResults().isEmpty())
 *     .reply(ModelReply.text("done"));
 * }</pre>
 *
 * <p>Immutable: every method returns a new step. A step needs a {@link #reply} before it is given
 * to the server.
 */
public final class ModelStep {
  private final String description;
  private final Predicate<ScriptedRequest> accepts;
  private final String model;
  private final int times;
  private final ModelReply reply;

  private ModelStep(
      String description,
      Predicate<ScriptedRequest> accepts,
      String model,
      int times,
      ModelReply reply) {
    this.description = description;
    this.accepts = accepts;
    this.model = model;
    this.times = times;
    this.reply = reply;
  }

  /** A step accepting any chat completion request. */
  public static ModelStep any() {
    return new ModelStep("any request", r -> true, null, 1, null);
  }

  /** A step accepting a request any of whose messages contains {@code text}. */
  public static ModelStep containing(String text) {
    Check.notNull(text, "text");
    return new ModelStep(
        "a request with a message containing \"" + ScriptedRequest.shorten(text, 80) + "\"",
        r -> r.contains(text),
        null,
        1,
        null);
  }

  /**
   * A step accepting the requests {@code accepts} accepts, described as {@code description} in
   * {@link ScriptedModelServer#verify()}'s messages.
   */
  public static ModelStep matching(String description, Predicate<ScriptedRequest> accepts) {
    Check.notBlank(description, "description");
    Check.notNull(accepts, "predicate");
    return new ModelStep(description, accepts, null, 1, null);
  }

  /** A step accepting the requests {@code accepts} accepts. */
  public static ModelStep matching(Predicate<ScriptedRequest> accepts) {
    return matching("a request matching a predicate", accepts);
  }

  /**
   * This step, accepting only requests for this model. The name is also listed by {@code GET
   * {base}/models}.
   */
  public ModelStep model(String model) {
    return new ModelStep(description, accepts, Check.notBlank(model, "model"), times, reply);
  }

  /** This step, expected {@code times} times in a row (at least 1; default 1). */
  public ModelStep times(int times) {
    Check.that(times >= 1, "times must be at least 1, not " + times);
    return new ModelStep(description, accepts, model, times, reply);
  }

  /** This step, answering {@code reply}. */
  public ModelStep reply(ModelReply reply) {
    return new ModelStep(description, accepts, model, times, Check.notNull(reply, "reply"));
  }

  /** Whether this step accepts the request (a predicate that throws does not accept it). */
  boolean accepts(ScriptedRequest request) {
    if (model != null && !model.equals(request.model())) {
      return false;
    }
    try {
      return accepts.test(request);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The model this step wants, or null for any. */
  String modelName() {
    return model;
  }

  int times() {
    return times;
  }

  ModelReply replyOrNull() {
    return reply;
  }

  @Override
  public String toString() {
    return description + (model == null ? "" : " for model " + model) + " → " + reply;
  }
}
