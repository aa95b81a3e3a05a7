package dev.kodo.sdk;

import dev.kodo.sdk.internal.SdkBridge;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The typed inputs a flow takes (and, later, what a lock asks a person for): an ordered list of
 * {@link Field}s and explanatory Markdown. A form is shown to the world as a JSON Schema (draft
 * 2020-12) plus form hints (docs/http-api.md); the runtime checks what callers send against it (see
 * {@link InvalidInputsException}). Field kinds: {@link TextField}, {@link NumberField}, {@link
 * BoolField}, {@link SelectField}, {@link DateField}.
 *
 * <pre>{@code
 * Form form = Form.builder()
 *     .markdown("Tell us what to research.")
 *     .text("topic", f -> f.label("Topic").required().maxLength(200))
 *     .number("depth", f -> f.integer().min(1).max(5).defaultValue(2))
 *     .select("tone", f -> f.options("neutral", "playful"))
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class Form {

  /** A part of a form: a {@link Field} or a block of {@link Markdown}. */
  public sealed interface Element permits Field, Markdown {}

  /** Explanatory Markdown shown between fields. */
  public record Markdown(String text) implements Element {}

  private static final Form EMPTY = new Form(List.of());

  static {
    SdkBridge.install(new RuntimeAccess());
  }

  private final List<Element> elements;
  private final Map<String, Field> fields;

  private Form(List<Element> elements) {
    this.elements = List.copyOf(elements);
    Map<String, Field> f = new LinkedHashMap<>();
    for (Element e : elements) {
      if (e instanceof Field field && f.put(field.name(), field) != null) {
        throw new IllegalArgumentException("input '" + field.name() + "' is declared twice");
      }
    }
    this.fields = Collections.unmodifiableMap(f);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A form with no inputs. */
  public static Form empty() {
    return EMPTY;
  }

  public List<Element> elements() {
    return elements;
  }

  public Map<String, Field> fields() {
    return fields;
  }

  /**
   * The inputs as a JSON Schema (draft 2020-12) object, made of maps, lists, strings, numbers and
   * booleans (a new copy on each call), ready for any JSON writer.
   */
  public Map<String, Object> schema() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    s.put("type", "object");
    Map<String, Object> props = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Field f : fields.values()) {
      props.put(f.name(), f.schema());
      if (f.required()) {
        required.add(f.name());
      }
    }
    s.put("properties", props);
    s.put("required", required);
    s.put("additionalProperties", false);
    return s;
  }

  /** The form hints: the elements in order, each with the widget that draws it. */
  List<Map<String, Object>> hints() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Element e : elements) {
      if (e instanceof Field f) {
        out.add(f.hint());
      } else if (e instanceof Markdown m) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("widget", "markdown");
        h.put("text", m.text());
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Checks what a caller sent: unknown names, missing required inputs and values that do not fit
   * their field are all reported at once, each with its field's name. Defaults fill what is
   * missing.
   *
   * @throws InvalidInputsException listing every problem found
   */
  Inputs validate(Map<String, ?> raw) {
    Map<String, ?> given = raw == null ? Map.of() : raw;
    List<InputError> errors = new ArrayList<>();
    for (String name : given.keySet()) {
      if (!fields.containsKey(name)) {
        errors.add(
            new InputError(
                name,
                fields.isEmpty()
                    ? "unknown field: none is expected here"
                    : "unknown field: expected " + String.join(", ", fields.keySet())));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field f : fields.values()) {
      Object v = given.get(f.name());
      if (v instanceof String s && s.isEmpty() && f.emptyTextIsMissing()) {
        v = null;
      }
      if (v == null) {
        if (f.defaultValue() != null) {
          values.put(f.name(), f.defaultValue());
        } else if (f.required()) {
          errors.add(new InputError(f.name(), "is required"));
        }
        continue;
      }
      if (f.required() && v instanceof String s && s.isBlank()) {
        errors.add(new InputError(f.name(), "is required"));
        continue;
      }
      try {
        values.put(f.name(), f.check(v));
      } catch (Field.InvalidValue e) {
        errors.add(new InputError(f.name(), e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputsException(errors);
    }
    return new Inputs(values);
  }

  /** Builds a form; each method adds one element in order. */
  public static final class Builder {
    private final List<Element> elements = new ArrayList<>();

    private Builder() {}

    public Builder markdown(String text) {
      elements.add(new Markdown(Require.notNull(text, "markdown")));
      return this;
    }

    /** A one-line text input. */
    public Builder text(String name, Consumer<TextField.Builder> spec) {
      return add(new TextField.Builder(name, false), spec);
    }

    /** A text input of several lines. */
    public Builder longText(String name, Consumer<TextField.Builder> spec) {
      return add(new TextField.Builder(name, true), spec);
    }

    public Builder number(String name, Consumer<NumberField.Builder> spec) {
      return add(new NumberField.Builder(name), spec);
    }

    public Builder bool(String name, Consumer<BoolField.Builder> spec) {
      return add(new BoolField.Builder(name), spec);
    }

    public Builder select(String name, Consumer<SelectField.Builder> spec) {
      return add(new SelectField.Builder(name), spec);
    }

    public Builder date(String name, Consumer<DateField.Builder> spec) {
      return add(new DateField.Builder(name), spec);
    }

    private <B extends Field.Builder<B>> Builder add(B b, Consumer<B> spec) {
      if (spec != null) {
        spec.accept(b);
      }
      elements.add(b.build());
      return this;
    }

    public Form build() {
      return new Form(elements);
    }
  }
}
