package dev.kodo.sdk;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One typed input of a {@link Form}: a {@link TextField}, {@link NumberField}, {@link BoolField},
 * {@link SelectField} or {@link DateField}. Made with the builders on {@link Form.Builder};
 * immutable and thread-safe once built. What every kind shares (name, label, help, whether it is
 * required, its default) lives here; each kind adds its own constraints, its check of a value and
 * its part of the JSON Schema and form hints (docs/http-api.md, docs/flows.md).
 */
public abstract sealed class Field implements Form.Element
    permits TextField, NumberField, BoolField, SelectField, DateField {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  private final String name;
  private final String label;
  private final String description;
  private final String placeholder;
  private final boolean required;

  /**
   * Set once by {@link Builder#build()}, after the kind's constraints exist to check it against.
   */
  private Object defaultValue;

  Field(Builder<?> b) {
    this.name = b.name;
    this.label = b.label == null ? b.name : b.label;
    this.description = b.description;
    this.placeholder = b.placeholder;
    this.required = b.required;
  }

  public String name() {
    return name;
  }

  public String label() {
    return label;
  }

  public boolean required() {
    return required;
  }

  /**
   * The value used when a caller gives none, in the field's Java type; {@code null} if there is
   * none.
   */
  public Object defaultValue() {
    return defaultValue;
  }

  /** The widget that draws this field in a form hint. */
  abstract String widget();

  /**
   * Checks one value given for this field and returns it in its canonical Java type: {@code
   * String}, {@code Long} (integer numbers), {@code Double}, {@code Boolean} or {@code LocalDate}.
   * Text is accepted for numbers, booleans and dates, as HTML forms and command lines send it.
   */
  abstract Object check(Object value) throws InvalidValue;

  /** Whether an empty text given for this field means "not given" (true for all but text). */
  boolean emptyTextIsMissing() {
    return true;
  }

  /**
   * Adds this kind's part of the JSON Schema property, which comes before title, description and
   * default.
   */
  abstract void schemaInto(Map<String, Object> schema);

  /**
   * Adds this kind's part of the form hint, which comes after name, widget, label, help,
   * placeholder and required.
   */
  void hintInto(Map<String, Object> hint) {}

  /** The default as JSON shows it. */
  Object defaultForJson() {
    return defaultValue;
  }

  /** This field as a JSON Schema (draft 2020-12) property. */
  final Map<String, Object> schema() {
    Map<String, Object> s = new LinkedHashMap<>();
    schemaInto(s);
    s.put("title", label);
    put(s, "description", description);
    put(s, "default", defaultForJson());
    return s;
  }

  /** This field as a form hint: which widget draws it and with what. */
  final Map<String, Object> hint() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("name", name);
    h.put("widget", widget());
    h.put("label", label);
    put(h, "help", description);
    put(h, "placeholder", placeholder);
    h.put("required", required);
    hintInto(h);
    return h;
  }

  static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof String s) return "text '" + abbreviate(s) + "'";
    if (value instanceof Number) return "the number " + value;
    if (value instanceof Boolean) return "the boolean " + value;
    if (value instanceof List || value.getClass().isArray()) return "a list";
    if (value instanceof Map) return "an object";
    return value.getClass().getSimpleName();
  }

  static String abbreviate(String s) {
    return s.length() <= 39
        ? s
        : s.substring(0, 38)
            + "…"; // as dev.kodo.client.Shorten.to(s, 39): the SDK depends on no module
  }

  /**
   * Puts a value that is there; a {@link BigDecimal} goes in as a {@code Long} if whole, else a
   * {@code Double}.
   */
  static void put(Map<String, Object> m, String k, Object v) {
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

  /**
   * What every field builder offers; each kind's builder adds its constraints. Obtained from {@link
   * Form.Builder}; not thread-safe.
   *
   * @param <B> the kind's builder, returned by every method so that calls chain
   */
  public abstract static sealed class Builder<B extends Builder<B>>
      permits TextField.Builder,
          NumberField.Builder,
          BoolField.Builder,
          SelectField.Builder,
          DateField.Builder {
    final String name;
    private String label;
    private String description;
    private String placeholder;
    private boolean required;
    private Object defaultValue;

    Builder(String name) {
      Require.notNull(name, "input name");
      Require.that(
          NAME.matcher(name).matches(),
          "input name '"
              + name
              + "' must start with a letter or _ and hold only letters, digits, _ and - (at most 64)");
      this.name = name;
    }

    public B label(String label) {
      this.label = label;
      return self();
    }

    public B description(String description) {
      this.description = description;
      return self();
    }

    public B placeholder(String placeholder) {
      this.placeholder = placeholder;
      return self();
    }

    public B required() {
      this.required = true;
      return self();
    }

    public B optional() {
      this.required = false;
      return self();
    }

    public B defaultValue(Object value) {
      this.defaultValue = value;
      return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** Makes the field from what was set; constraints that contradict each other fail here. */
    abstract Field create();

    final Field build() {
      Field f = create();
      if (defaultValue != null) {
        try {
          f.defaultValue = f.check(defaultValue);
        } catch (InvalidValue e) {
          throw new IllegalArgumentException(
              "default of input '" + name + "' is invalid: " + e.getMessage());
        }
      }
      return f;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && f.name.equals(name) && f.widget().equals(widget());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, widget());
  }
}
