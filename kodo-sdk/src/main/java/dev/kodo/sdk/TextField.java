package dev.kodo.sdk;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A text input, one line ({@link Form.Builder#text}) or several ({@link Form.Builder#longText}),
 * with optional length limits and a pattern the whole text must match. Immutable.
 */
public final class TextField extends Field {
  private final boolean longText;
  private final Integer minLength;
  private final Integer maxLength;
  private final Pattern pattern;

  private TextField(Builder b) {
    super(b);
    this.longText = b.longText;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.pattern = b.pattern == null ? null : Pattern.compile(b.pattern);
  }

  /** Whether the field takes several lines (a text area). */
  public boolean longText() {
    return longText;
  }

  @Override
  String widget() {
    return longText ? "textarea" : "text";
  }

  @Override
  boolean emptyTextIsMissing() {
    return false;
  }

  @Override
  void schemaInto(Map<String, Object> s) {
    s.put("type", "string");
    put(s, "minLength", minLength);
    put(s, "maxLength", maxLength);
    // JSON Schema patterns match anywhere in the text; validation here matches the whole text.
    put(s, "pattern", pattern == null ? null : "^(?:" + pattern.pattern() + ")$");
  }

  @Override
  String check(Object value) throws InvalidValue {
    if (!(value instanceof String s)) {
      throw new InvalidValue("must be text, not " + describe(value));
    }
    int length = s.codePointCount(0, s.length()); // characters as JSON Schema counts them
    if (minLength != null && length < minLength) {
      throw new InvalidValue(
          "must be at least " + minLength + " characters long (got " + length + ")");
    }
    if (maxLength != null && length > maxLength) {
      throw new InvalidValue(
          "must be at most " + maxLength + " characters long (got " + length + ")");
    }
    if (pattern != null && !pattern.matcher(s).matches()) {
      throw new InvalidValue("must match the pattern " + pattern.pattern());
    }
    return s;
  }

  /** Builds a {@link TextField}; obtained from {@link Form.Builder}. */
  public static final class Builder extends Field.Builder<Builder> {
    private final boolean longText;
    private Integer minLength;
    private Integer maxLength;
    private String pattern;

    Builder(String name, boolean longText) {
      super(name);
      this.longText = longText;
    }

    public Builder minLength(int n) {
      Require.that(n >= 0, "input '" + name + "': minLength cannot be negative (got " + n + ")");
      this.minLength = n;
      return this;
    }

    public Builder maxLength(int n) {
      Require.that(n >= 0, "input '" + name + "': maxLength cannot be negative (got " + n + ")");
      this.maxLength = n;
      return this;
    }

    /** A regular expression the whole text must match. */
    public Builder pattern(String regex) {
      this.pattern = regex;
      return this;
    }

    @Override
    TextField create() {
      if (minLength != null && maxLength != null) {
        Require.that(
            minLength <= maxLength, "input '" + name + "': minLength is greater than maxLength");
      }
      if (pattern != null) {
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "input '" + name + "': bad pattern: " + e.getDescription());
        }
      }
      return new TextField(this);
    }
  }
}
