package dev.kodo.sdk;

import dev.kodo.client.Check;
import dev.kodo.client.Shorten;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One typed input of a {@link Form}. Made with the builders on {@link Form.Builder}; immutable.
 */
public final class Field implements Form.Element {

  /** The kinds of input a form can ask for. */
  public enum Type {
    TEXT("text"),
    LONG_TEXT("textarea"),
    NUMBER("number"),
    BOOLEAN("checkbox"),
    SELECT("select"),
    DATE("date");

    final String widget;

    Type(String widget) {
      this.widget = widget;
    }
  }

  /** One choice of a select field: the value sent and the label shown. */
  public record Option(String value, String label) {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  private final String name;
  private final Type type;
  private final String label;
  private final String description;
  private final String placeholder;
  private final boolean required;
  private final Object defaultValue;
  private final Integer minLength;
  private final Integer maxLength;
  private final Pattern pattern;
  private final BigDecimal min;
  private final BigDecimal max;
  private final boolean integer;
  private final List<Option> options;
  private final LocalDate minDate;
  private final LocalDate maxDate;

  private Field(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.label = b.label == null ? b.name : b.label;
    this.description = b.description;
    this.placeholder = b.placeholder;
    this.required = b.required;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.pattern = b.pattern == null ? null : Pattern.compile(b.pattern);
    this.min = b.min;
    this.max = b.max;
    this.integer = b.integer;
    this.options = List.copyOf(b.options);
    this.minDate = b.minDate;
    this.maxDate = b.maxDate;
    Object d = null;
    if (b.defaultValue != null) {
      try {
        d = check(b.defaultValue);
      } catch (InvalidValue e) {
        throw new IllegalArgumentException("default of input '" + name + "' is invalid: " + e.getMessage());
      }
    }
    this.defaultValue = d;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public String label() {
    return label;
  }

  public boolean required() {
    return required;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public List<Option> options() {
    return options;
  }

  /** This field as a JSON Schema (draft 2020-12) property. */
  Map<String, Object> schema() {
    Map<String, Object> s = new LinkedHashMap<>();
    switch (type) {
      case TEXT, LONG_TEXT -> {
        s.put("type", "string");
        put(s, "minLength", minLength);
        put(s, "maxLength", maxLength);
        // JSON Schema patterns match anywhere in the text; validation here matches the whole text.
        put(s, "pattern", pattern == null ? null : "^(?:" + pattern.pattern() + ")$");
      }
      case NUMBER -> {
        s.put("type", integer ? "integer" : "number");
        put(s, "minimum", min);
        put(s, "maximum", max);
      }
      case BOOLEAN -> s.put("type", "boolean");
      case SELECT -> {
        s.put("type", "string");
        s.put("enum", options.stream().map(Option::value).toList());
      }
      case DATE -> s.put("type", "string");
    }
    if (type == Type.DATE) {
      s.put("format", "date");
    }
    s.put("title", label);
    put(s, "description", description);
    put(s, "default", defaultValue instanceof LocalDate ld ? ld.toString() : defaultValue);
    return s;
  }

  /** This field as a form hint: which widget draws it and with what. */
  Map<String, Object> hint() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("name", name);
    h.put("widget", type.widget);
    h.put("label", label);
    put(h, "help", description);
    put(h, "placeholder", placeholder);
    h.put("required", required);
    if (type == Type.SELECT) {
      h.put("options", options);
    }
    if (type == Type.DATE) {
      put(h, "min", minDate == null ? null : minDate.toString());
      put(h, "max", maxDate == null ? null : maxDate.toString());
    }
    if (type == Type.NUMBER) {
      put(h, "min", min);
      put(h, "max", max);
      h.put("step", integer ? "1" : "any");
    }
    return h;
  }

  /**
   * Checks one value given for this field and returns it in its canonical Java type: {@code
   * String}, {@code Long} (integer numbers), {@code Double}, {@code Boolean} or {@code
   * LocalDate}. Text is accepted for numbers, booleans and dates, as HTML forms and command
   * lines send it.
   */
  Object check(Object value) throws InvalidValue {
    return switch (type) {
      case TEXT, LONG_TEXT -> checkText(value);
      case NUMBER -> checkNumber(value);
      case BOOLEAN -> checkBoolean(value);
      case SELECT -> checkSelect(value);
      case DATE -> checkDate(value);
    };
  }

  private String checkText(Object value) throws InvalidValue {
    if (!(value instanceof String s)) {
      throw new InvalidValue("must be text, not " + describe(value));
    }
    int length = s.codePointCount(0, s.length()); // characters as JSON Schema counts them
    if (minLength != null && length < minLength) {
      throw new InvalidValue("must be at least " + minLength + " characters long (got " + length + ")");
    }
    if (maxLength != null && length > maxLength) {
      throw new InvalidValue("must be at most " + maxLength + " characters long (got " + length + ")");
    }
    if (pattern != null && !pattern.matcher(s).matches()) {
      throw new InvalidValue("must match the pattern " + pattern.pattern());
    }
    return s;
  }

  private Object checkNumber(Object value) throws InvalidValue {
    BigDecimal n;
    if (value instanceof Number num) {
      if (num instanceof Double d && (d.isNaN() || d.isInfinite()) || num instanceof Float f && (f.isNaN() || f.isInfinite())) {
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

  private Boolean checkBoolean(Object value) throws InvalidValue {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
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

  private String checkSelect(Object value) throws InvalidValue {
    if (value instanceof String s) {
      for (Option o : options) {
        if (o.value().equals(s)) {
          return s;
        }
      }
    }
    throw new InvalidValue("must be one of " + options.stream().map(Option::value).toList() + ", not " + describe(value));
  }

  private LocalDate checkDate(Object value) throws InvalidValue {
    LocalDate d;
    if (value instanceof LocalDate ld) {
      d = ld;
    } else if (value instanceof String s) {
      try {
        d = LocalDate.parse(s.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new InvalidValue("must be a date like 2026-11-27, not '" + abbreviate(s) + "'");
      }
    } else {
      throw new InvalidValue("must be a date like 2026-11-27, not " + describe(value));
    }
    if (minDate != null && d.isBefore(minDate)) {
      throw new InvalidValue("must be on or after " + minDate);
    }
    if (maxDate != null && d.isAfter(maxDate)) {
      throw new InvalidValue("must be on or before " + maxDate);
    }
    return d;
  }

  private static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof String s) return "text '" + abbreviate(s) + "'";
    if (value instanceof Number) return "the number " + value;
    if (value instanceof Boolean) return "the boolean " + value;
    if (value instanceof List || value.getClass().isArray()) return "a list";
    if (value instanceof Map) return "an object";
    return value.getClass().getSimpleName();
  }

  /**
   * A number for a message. Never {@code toPlainString()} on what a caller sent: {@code 1e999999999}
   * is ten characters of input and a billion digits written out.
   */
  private static String show(BigDecimal n) {
    BigDecimal b = n.stripTrailingZeros();
    boolean plain = b.scale() <= 20 && b.precision() - b.scale() <= 30;
    return abbreviate(plain ? b.toPlainString() : b.toString());
  }

  private static String abbreviate(String s) {
    return Shorten.to(s, 39);
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v instanceof BigDecimal bd ? toJsonNumber(bd) : v);
    }
  }

  private static Object toJsonNumber(BigDecimal bd) {
    try {
      return bd.longValueExact();
    } catch (ArithmeticException e) {
      return bd.doubleValue();
    }
  }

  /** Why a value does not fit a field; the message reads after the field's name. */
  static final class InvalidValue extends Exception {
    InvalidValue(String message) {
      super(message, null, false, false);
    }
  }

  /** Builds one field; obtained from {@link Form.Builder}. Constraints that do not fit the type fail at build. */
  public static final class Builder {
    private final String name;
    private final Type type;
    private String label;
    private String description;
    private String placeholder;
    private boolean required;
    private Object defaultValue;
    private Integer minLength;
    private Integer maxLength;
    private String pattern;
    private BigDecimal min;
    private BigDecimal max;
    private boolean integer;
    private final List<Option> options = new ArrayList<>();
    private LocalDate minDate;
    private LocalDate maxDate;

    Builder(String name, Type type) {
      Check.notNull(name, "input name");
      Check.that(NAME.matcher(name).matches(),
          "input name '" + name + "' must start with a letter or _ and hold only letters, digits, _ and - (at most 64)");
      this.name = name;
      this.type = type;
    }

    public Builder label(String label) {
      this.label = label;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder placeholder(String placeholder) {
      this.placeholder = placeholder;
      return this;
    }

    public Builder required() {
      this.required = true;
      return this;
    }

    public Builder optional() {
      this.required = false;
      return this;
    }

    public Builder defaultValue(Object value) {
      this.defaultValue = value;
      return this;
    }

    public Builder minLength(int n) {
      textOnly("minLength");
      Check.that(n >= 0, "input '" + name + "': minLength cannot be negative (got " + n + ")");
      this.minLength = n;
      return this;
    }

    public Builder maxLength(int n) {
      textOnly("maxLength");
      Check.that(n >= 0, "input '" + name + "': maxLength cannot be negative (got " + n + ")");
      this.maxLength = n;
      return this;
    }

    /** A regular expression the whole text must match. */
    public Builder pattern(String regex) {
      textOnly("pattern");
      this.pattern = regex;
      return this;
    }

    public Builder min(double value) {
      numberOnly("min");
      Check.that(Double.isFinite(value), "input '" + name + "': min must be a finite number (got " + value + ")");
      this.min = new BigDecimal(Double.toString(value)).stripTrailingZeros();
      return this;
    }

    public Builder max(double value) {
      numberOnly("max");
      Check.that(Double.isFinite(value), "input '" + name + "': max must be a finite number (got " + value + ")");
      this.max = new BigDecimal(Double.toString(value)).stripTrailingZeros();
      return this;
    }

    /** Only whole numbers; the value is then a {@code long}. */
    public Builder integer() {
      numberOnly("integer");
      this.integer = true;
      return this;
    }

    public Builder option(String value, String label) {
      Check.that(type == Type.SELECT, "option() applies to select inputs, not to '" + name + "'");
      Check.notNull(value, "option value");
      Check.that(options.stream().noneMatch(o -> o.value().equals(value)),
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

    public Builder minDate(LocalDate d) {
      Check.that(type == Type.DATE, "minDate() applies to date inputs, not to '" + name + "'");
      this.minDate = d;
      return this;
    }

    public Builder maxDate(LocalDate d) {
      Check.that(type == Type.DATE, "maxDate() applies to date inputs, not to '" + name + "'");
      this.maxDate = d;
      return this;
    }

    private void textOnly(String what) {
      Check.that(type == Type.TEXT || type == Type.LONG_TEXT, what + "() applies to text inputs, not to '" + name + "'");
    }

    private void numberOnly(String what) {
      Check.that(type == Type.NUMBER, what + "() applies to number inputs, not to '" + name + "'");
    }

    Field build() {
      if (type == Type.SELECT) {
        Check.that(!options.isEmpty(), "select input '" + name + "' needs at least one option");
      }
      if (min != null && max != null) {
        Check.that(min.compareTo(max) <= 0, "input '" + name + "': min is greater than max");
      }
      if (minDate != null && maxDate != null) {
        Check.that(!minDate.isAfter(maxDate), "input '" + name + "': minDate is after maxDate");
      }
      if (minLength != null && maxLength != null) {
        Check.that(minLength <= maxLength, "input '" + name + "': minLength is greater than maxLength");
      }
      if (pattern != null) {
        try {
          Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException("input '" + name + "': bad pattern: " + e.getDescription());
        }
      }
      return new Field(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && f.name.equals(name) && f.type == type;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type);
  }
}
