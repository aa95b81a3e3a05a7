package dev.kodo.sdk;

import java.util.Locale;
import java.util.Map;

/** A yes/no input, drawn as a check box; the value is a {@code Boolean}. Immutable. */
public final class BoolField extends Field {

  private BoolField(Builder b) {
    super(b);
  }

  @Override
  String widget() {
    return "checkbox";
  }

  @Override
  void schemaInto(Map<String, Object> s) {
    s.put("type", "boolean");
  }

  @Override
  Boolean check(Object value) throws InvalidValue {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> {
          return true;
        }
        case "false", "no", "off", "0" -> {
          return false;
        }
        default -> throw new InvalidValue("must be true or false, not '" + abbreviate(s) + "'");
      }
    }
    throw new InvalidValue("must be true or false, not " + describe(value));
  }

  /** Builds a {@link BoolField}; obtained from {@link Form.Builder}. */
  public static final class Builder extends Field.Builder<Builder> {
    Builder(String name) {
      super(name);
    }

    @Override
    BoolField create() {
      return new BoolField(this);
    }
  }
}
