package dev.kodo.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A choice of one of a fixed list of {@link Option}s; the value is the option's value. Immutable.
 */
public final class SelectField extends Field {

  /** One choice of a select field: the value sent and the label shown. */
  public record Option(String value, String label) {}

  private final List<Option> options;

  private SelectField(Builder b) {
    super(b);
    this.options = List.copyOf(b.options);
  }

  public List<Option> options() {
    return options;
  }

  @Override
  String widget() {
    return "select";
  }

  @Override
  void schemaInto(Map<String, Object> s) {
    s.put("type", "string");
    s.put("enum", values());
  }

  @Override
  void hintInto(Map<String, Object> h) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Option o : options) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("value", o.value());
      m.put("label", o.label());
      out.add(m);
    }
    h.put("options", out);
  }

  @Override
  String check(Object value) throws InvalidValue {
    if (value instanceof String s) {
      for (Option o : options) {
        if (o.value().equals(s)) {
          return s;
        }
      }
    }
    throw new InvalidValue("must be one of " + values() + ", not " + describe(value));
  }

  private List<String> values() {
    return options.stream().map(Option::value).toList();
  }

  /**
   * Builds a {@link SelectField}; obtained from {@link Form.Builder}. It needs at least one option.
   */
  public static final class Builder extends Field.Builder<Builder> {
    private final List<Option> options = new ArrayList<>();

    Builder(String name) {
      super(name);
    }

    public Builder option(String value, String label) {
      Require.notNull(value, "option value");
      Require.that(
          options.stream().noneMatch(o -> o.value().equals(value)),
          "select input '" + name + "' lists the option '" + value + "' twice");
      options.add(new Option(value, label == null ? value : label));
      return this;
    }

    public Builder options(String... values) {
      for (String v : values) {
        option(v, v);
      }
      return this;
    }

    @Override
    SelectField create() {
      Require.that(!options.isEmpty(), "select input '" + name + "' needs at least one option");
      return new SelectField(this);
    }
  }
}
