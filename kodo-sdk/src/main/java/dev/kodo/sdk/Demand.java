package dev.kodo.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a flow asks a person (or a calling agent) for when it locks
 * (docs/flows.md#asking-a-person-locks): a title, explanatory Markdown and a {@link Form} of typed
 * inputs, plus an optional check of each answer that can deny it with reasons per field. Built with
 * {@link #builder(String)}; immutable.
 *
 * <pre>{@code
 * Inputs answer = ctx.lock(Demand.builder("Approve the plan")
 *     .markdown(plan)
 *     .form(Form.builder()
 *         .bool("approve", f -> f.label("Approve").required())
 *         .longText("comment", f -> f.label("Comment").maxLength(2000)))
 *     .check(a -> !a.bool("approve") && !a.has("comment")
 *         ? List.of(new InputError("comment", "say why you reject the plan"))
 *         : List.of())
 *     .build(), Duration.ofHours(8));
 * }</pre>
 */
public final class Demand {
  /** How long a lock waits for an accepted answer unless the flow says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(4);

  private final String title;
  private final String markdown;
  private final Form form;
  private final Function<Inputs, List<InputError>> check;

  private Demand(Builder b) {
    this.title = b.title;
    this.markdown = b.markdown;
    this.form = b.form;
    this.check = b.check;
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  public String title() {
    return title;
  }

  public String markdown() {
    return markdown;
  }

  public Form form() {
    return form;
  }

  /**
   * Checks a candidate answer: first against the form (types, required, limits), then with the
   * flow's own check. Returns the validated answer, or throws with every reason found.
   *
   * @throws InvalidInputsException listing what is wrong, per field
   */
  Inputs accept(Map<String, ?> candidate) {
    Inputs answer = form.validate(candidate);
    List<InputError> errors = check.apply(answer);
    if (errors != null && !errors.isEmpty()) {
      throw new InvalidInputsException(errors);
    }
    return answer;
  }

  /** Builds a {@link Demand}. */
  public static final class Builder {
    private final String title;
    private String markdown = "";
    private Form form = Form.empty();
    private Function<Inputs, List<InputError>> check = a -> List.of();

    private Builder(String title) {
      this.title = Require.notBlank(title, "demand title");
    }

    /**
     * Explanatory Markdown shown above the form: the plan to approve, the question, the context.
     */
    public Builder markdown(String markdown) {
      this.markdown = Require.notNull(markdown, "markdown");
      return this;
    }

    public Builder form(Form form) {
      this.form = Require.notNull(form, "form");
      return this;
    }

    public Builder form(Form.Builder form) {
      return form(form.build());
    }

    /**
     * The flow's own check of an answer that fits the form: return the reasons to deny it (empty to
     * accept). Runs on the flow's thread.
     */
    public Builder check(Function<Inputs, List<InputError>> check) {
      this.check = Require.notNull(check, "check");
      return this;
    }

    public Demand build() {
      return new Demand(this);
    }
  }
}
