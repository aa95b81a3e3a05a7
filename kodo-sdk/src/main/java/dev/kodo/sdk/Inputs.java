package dev.kodo.sdk;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's inputs (or a lock's answer), checked against their form: every value has its field's Java
 * type ({@code String}, {@code Long} or {@code Double}, {@code Boolean}, {@code LocalDate}).
 * Immutable.
 */
public final class Inputs {
  private final Map<String, Object> values;

  Inputs(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Object get(String name) {
    return values.get(name);
  }

  public String text(String name) {
    return typed(name, String.class);
  }

  public double number(String name) {
    return typed(name, Number.class).doubleValue();
  }

  public long integer(String name) {
    return typed(name, Number.class).longValue();
  }

  public boolean bool(String name) {
    return typed(name, Boolean.class);
  }

  public LocalDate date(String name) {
    return typed(name, LocalDate.class);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  private <T> T typed(String name, Class<T> type) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "input '"
              + name
              + "' was not given and has no default; check has(\""
              + name
              + "\") first or declare a default");
    }
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(
          "input '"
              + name
              + "' is a "
              + v.getClass().getSimpleName()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(v);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
