package dev.kodo.sdk;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A calendar date ({@code 2026-11-27}), optionally between two dates; the value is a {@code
 * LocalDate}. Immutable.
 */
public final class DateField extends Field {
  private final LocalDate minDate;
  private final LocalDate maxDate;

  private DateField(Builder b) {
    super(b);
    this.minDate = b.minDate;
    this.maxDate = b.maxDate;
  }

  @Override
  String widget() {
    return "date";
  }

  @Override
  void schemaInto(Map<String, Object> s) {
    s.put("type", "string");
    s.put("format", "date");
  }

  @Override
  void hintInto(Map<String, Object> h) {
    put(h, "min", minDate == null ? null : minDate.toString());
    put(h, "max", maxDate == null ? null : maxDate.toString());
  }

  @Override
  Object defaultForJson() {
    return defaultValue() == null ? null : defaultValue().toString();
  }

  @Override
  LocalDate check(Object value) throws InvalidValue {
    LocalDate d;
    if (value instanceof LocalDate ld) {
      d = ld;
    } else if (value instanceof String s) {
      try {
        d = LocalDate.parse(s.trim());
      } catch (DateTimeParseException e) {
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

  /** Builds a {@link DateField}; obtained from {@link Form.Builder}. */
  public static final class Builder extends Field.Builder<Builder> {
    private LocalDate minDate;
    private LocalDate maxDate;

    Builder(String name) {
      super(name);
    }

    public Builder minDate(LocalDate d) {
      this.minDate = d;
      return this;
    }

    public Builder maxDate(LocalDate d) {
      this.maxDate = d;
      return this;
    }

    @Override
    DateField create() {
      if (minDate != null && maxDate != null) {
        Require.that(!minDate.isAfter(maxDate), "input '" + name + "': minDate is after maxDate");
      }
      return new DateField(this);
    }
  }
}
