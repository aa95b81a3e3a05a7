package dev.kodo.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a flow is: its display metadata, its inputs, and how many of its runs a node executes at
 * once. Built with {@link #builder(String)}, validated when built, immutable.
 *
 * @param maxConcurrentRuns the most runs of this flow a node lets run at once (0: no limit of the
 *     flow's own); launches over it wait or are refused as the node is configured
 *     (docs/flows.md#how-many-runs-at-once)
 */
public record FlowSpec(
    String name,
    String description,
    String author,
    String organization,
    String release,
    List<String> tags,
    Form inputs,
    int maxConcurrentRuns) {

  private static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");

  public FlowSpec {
    Require.notBlank(name, "flow name");
    Require.that(
        release == null || SEMVER.matcher(release).matches(),
        "release '" + release + "' of flow '" + name + "' is not a semantic version like 1.2.0");
    description = description == null ? "" : description;
    tags = List.copyOf(tags == null ? List.of() : tags);
    inputs = inputs == null ? Form.empty() : inputs;
    release = release == null ? "0.1.0" : release;
    Require.that(
        maxConcurrentRuns >= 0,
        "maxConcurrentRuns of flow '"
            + name
            + "' must be 0 (no limit) or more, not "
            + maxConcurrentRuns);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link FlowSpec}. */
  public static final class Builder {
    private final String name;
    private String description;
    private String author;
    private String organization;
    private String release;
    private final List<String> tags = new ArrayList<>();
    private Form inputs;
    private int maxConcurrentRuns;

    private Builder(String name) {
      this.name = name;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder author(String author) {
      this.author = author;
      return this;
    }

    public Builder organization(String organization) {
      this.organization = organization;
      return this;
    }

    /** The flow's version, a semantic version such as {@code 1.2.0}. */
    public Builder release(String release) {
      this.release = release;
      return this;
    }

    public Builder tags(String... tags) {
      for (String t : tags) {
        this.tags.add(Require.notBlank(t, "tag"));
      }
      return this;
    }

    public Builder inputs(Form inputs) {
      this.inputs = inputs;
      return this;
    }

    public Builder inputs(Form.Builder inputs) {
      return inputs(inputs.build());
    }

    /**
     * The most runs of this flow a node executes at once; further launches wait for a slot or are
     * refused with 429, as the node is configured. 0 (the default): no limit of the flow's own. A
     * node's configuration ({@code kodo.node.limits.flows.[<path>]}) overrides it.
     */
    public Builder maxConcurrentRuns(int maxConcurrentRuns) {
      this.maxConcurrentRuns = maxConcurrentRuns;
      return this;
    }

    public FlowSpec build() {
      return new FlowSpec(
          name, description, author, organization, release, tags, inputs, maxConcurrentRuns);
    }
  }
}
