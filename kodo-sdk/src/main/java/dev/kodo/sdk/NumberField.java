package dev.kodo.sdk;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A number input, whole ({@link Builder#integer()}, the value is then a {@code Long}) or not (a
 * {@code Double}), with optional bounds. Immutable.
 */
public final class NumberField extends Field {
  private final BigDecimal min;
  private final BigDecimal max;
  private final boolean integer;

  private NumberField(Builder b) {
    super(b);
    this.min = b.min;
    this.max = b.max;
    this.integer = b.integer;
  }

  /** Whether only whole numbers are taken. */
  public boolean integer() {
    return integer;
  }

  @Override
  String widget() {
    return "number";
  }

  @Override
  void schemaInto(Map<String, Object> s) {
    s.put("type", integer ? "integer" : "number");
    put(s, "minimum", min);
    put(s, "maximum", max);
  }

  @Override
  void hintInto(Map<String, Object> h) {
    put(h, "min", min);
    put(h, "max", max);
    h.put("step", integer ? "1" : "any");
  }

  @Override
  Object check(Object value) throws InvalidValue {
    BigDecimal n;
    if (value instanceof Number num) {
      if (num instanceof Double d && (d.isNaN() || d.isInfinite())
          || num instanceof Float f && (f.isNaN() || f.isInfinite())) {
        throw new InvalidValue("must be a finite number");
      }
      try {
        n = new BigDecimal(num.toString());
      } catch (NumberFormatException e) {
        throw new InvalidValue("must be a finite number, not " + abbreviate(num.toString()));
      }
    } else if (value instanceof String s && !s.isBlank()) {
      try {
        n = new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw new InvalidValue("must be a number, not '" + abbreviate(s) + "'");
      }
    } else {
      throw new InvalidValue("must be a number, not " + describe(value));
    }
    if (min != null && n.compareTo(min) < 0) {
      throw new InvalidValue("must be at least " + show(min) + " (got " + show(n) + ")");
    }
    if (max != null && n.compareTo(max) > 0) {
      throw new InvalidValue("must be at most " + show(max) + " (got " + show(n) + ")");
    }
    if (integer) {
      if (n.signum() != 0 && n.stripTrailingZeros().scale() > 0) {
        throw new InvalidValue("must be a whole number (got " + show(n) + ")");
      }
      try {
        return n.longValueExact();
      } catch (ArithmeticException e) {
        throw new InvalidValue("is too large (got " + show(n) + ")");
      }
    }
    double d = n.doubleValue();
    if (Double.isInfinite(d)) {
      throw new InvalidValue("is too large");
    }
    return d;
  }

  /**
   * A number for a message. Never {@code toPlainString()} on what a caller sent: {@code
   * 1e999999999} is ten characters of input and a billion digits written out.
   */
  private static String show(BigDecimal n) {
    BigDecimal b = n.stripTrailingZeros();
    boolean plain = b.scale() <= 20 && b.precision() - b.scale() <= 30;
    return abbreviate(plain ? b.toPlainString() : b.toString());
  }

  /** Builds a {@link NumberField}; obtained from {@link Form.Builder}. */
  public static final class Builder extends Field.Builder<Builder> {
    private BigDecimal min;
    private BigDecimal max;
    private boolean integer;

    Builder(String name) {
      super(name);
    }

    public Builder min(double value) {
      Require.that(
          Double.isFinite(value),
          "input '" + name + "': min must be a finite number (got " + value + ")");
      this.min = new BigDecimal(Double.toString(value)).stripTrailingZeros();
      return this;
    }

    public Builder max(double value) {
      Require.that(
          Double.isFinite(value),
          "input '" + name + "': max must be a finite number (got " + value + ")");
      this.max = new BigDecimal(Double.toString(value)).stripTrailingZeros();
      return this;
    }

    /** Only whole numbers; the value is then a {@code long}. */
    public Builder integer() {
      this.integer = true;
      return this;
    }

    @Override
    NumberField create() {
      if (min != null && max != null) {
        Require.that(min.compareTo(max) <= 0, "input '" + name + "': min is greater than max");
      }
      return new NumberField(this);
    }
  }
}
