package dev.kodo.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a flow is: its display metadata and its inputs. Built with {@link #builder(String)},
 * validated when built, immutable.
 */
public record FlowSpec(
    String name,
    String description,
    String author,
    String organization,
    String release,
    List<String> tags,
    Form inputs) {

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

    public FlowSpec build() {
      return new FlowSpec(name, description, author, organization, release, tags, inputs);
    }
  }
}
