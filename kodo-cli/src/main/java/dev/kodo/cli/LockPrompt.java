package dev.kodo.cli;

import dev.kodo.client.Problem.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks a person, on a {@link Terminal}, for the fields of a lock's demand — one prompt each,
 * showing its label, whether it is required, its type, default and options. An empty answer keeps
 * the default or leaves an optional field out; booleans take y/n; a select takes the option's
 * number, value or label. Only what is trivially wrong (a required field left empty, a number that
 * is not one, an answer that is no option) is asked again at once; everything else the flow judges,
 * and its reasons come back through {@link #ask} after a denial.
 */
final class LockPrompt {
  private final Terminal terminal;

  LockPrompt(Terminal terminal) {
    this.terminal = terminal;
  }

  /**
   * Asks for each of {@code fields} and puts the answers into {@code values} (a field left empty is
   * removed, so that its default applies). {@code reasons} are shown with the fields they name,
   * before asking for them again.
   *
   * @throws CliException with {@link Exit#FAILED} if the input ends (Ctrl-D)
   */
  void ask(
      List<LockView.FormField> fields, Map<String, Object> values, Map<String, String> reasons) {
    for (LockView.FormField f : fields) {
      if (reasons.containsKey(f.name())) {
        terminal.say("! " + f.label() + ": " + reasons.get(f.name()));
      }
      if (f.help() != null && !f.help().isBlank()) {
        terminal.say("  " + f.help());
      }
      if (!f.options().isEmpty()) {
        for (int i = 0; i < f.options().size(); i++) {
          LockView.Option o = f.options().get(i);
          terminal.say(
              "  "
                  + (i + 1)
                  + ") "
                  + o.value()
                  + (o.label().equals(o.value()) ? "" : "  " + o.label()));
        }
      }
      Object value = askOne(f);
      if (value == null) {
        values.remove(f.name());
      } else {
        values.put(f.name(), value);
      }
    }
  }

  /**
   * Hands an answer to the flow: null if it accepted it (or can no longer judge it), else its
   * reasons.
   */
  interface Submit {
    List<FieldError> submit(Map<String, Object> values);
  }

  /**
   * Answers a lock until the flow accepts: asks for every field first if {@code askFirst}, submits,
   * and after each denial asks again for the fields it names — or, when the terminal is not
   * interactive, gives up. Returns whether the answer was accepted.
   */
  boolean answer(
      List<LockView.FormField> fields,
      Map<String, Object> values,
      boolean askFirst,
      Submit submit) {
    if (askFirst) {
      ask(fields, values, Map.of());
    }
    while (true) {
      List<FieldError> errors = submit.submit(values);
      if (errors == null) {
        return true;
      }
      if (!terminal.interactive()) {
        return false;
      }
      terminal.say("The flow denied the answer; please correct:");
      ask(denied(fields, errors), values, reasons(errors));
    }
  }

  /**
   * The fields to ask for again after the flow denied an answer with {@code errors}: those the
   * reasons name, or all of them when a reason names no field of the demand.
   */
  static List<LockView.FormField> denied(List<LockView.FormField> fields, List<FieldError> errors) {
    List<LockView.FormField> again = new ArrayList<>();
    for (FieldError e : errors) {
      LockView.FormField f =
          fields.stream().filter(x -> x.name().equals(e.field())).findFirst().orElse(null);
      if (f == null) {
        return fields;
      }
      if (!again.contains(f)) {
        again.add(f);
      }
    }
    return again.isEmpty() ? fields : again;
  }

  /** The reasons of a denial by field name, several for one field joined. */
  static Map<String, String> reasons(List<FieldError> errors) {
    Map<String, String> reasons = new LinkedHashMap<>();
    for (FieldError e : errors) {
      reasons.merge(e.field(), e.message(), (a, b) -> a + "; " + b);
    }
    return reasons;
  }

  /** The prompt for one field: {@code Label (name; required, y/n) [default]: }. */
  static String prompt(LockView.FormField f) {
    List<String> facts = new ArrayList<>();
    facts.add(f.required() ? "required" : "optional");
    if (f.isBoolean()) {
      facts.add("y/n");
    } else if (!f.options().isEmpty()) {
      facts.add("1-" + f.options().size() + " or a value");
    } else {
      facts.add(FlowView.type(f.schema()));
    }
    JsonDefault d = JsonDefault.of(f);
    return f.label()
        + " ("
        + (f.label().equals(f.name()) ? "" : f.name() + "; ")
        + String.join(", ", facts)
        + ")"
        + (d == null ? "" : " [" + d.shown + "]")
        + ": ";
  }

  private Object askOne(LockView.FormField f) {
    String prompt = prompt(f);
    while (true) {
      String line = terminal.ask(prompt);
      if (line == null) {
        throw new CliException(Exit.FAILED, "no answer: the input ended; the lock stays open");
      }
      if (line.isBlank()) {
        if (f.defaultValue() != null || !f.required()) {
          return null;
        }
        terminal.say("  " + f.label() + " is required");
        continue;
      }
      String problem = null;
      Object value = line;
      if (f.isBoolean()) {
        value = bool(line);
        problem = value == null ? "answer y or n" : null;
      } else if (!f.options().isEmpty()) {
        value = option(f, line);
        problem =
            value == null
                ? "choose 1-"
                    + f.options().size()
                    + " or one of "
                    + String.join(", ", f.options().stream().map(LockView.Option::value).toList())
                : null;
      } else if (f.isNumber()) {
        value = number(line, "integer".equals(f.type()));
        problem =
            value == null
                ? ("integer".equals(f.type()) ? "a whole number, please" : "a number, please")
                : null;
      }
      if (problem == null) {
        return value;
      }
      terminal.say("  " + problem);
    }
  }

  static Boolean bool(String s) {
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "y", "yes", "true", "1", "on" -> Boolean.TRUE;
      case "n", "no", "false", "0", "off" -> Boolean.FALSE;
      default -> null;
    };
  }

  static String option(LockView.FormField f, String s) {
    String a = s.strip();
    List<LockView.Option> options = f.options();
    if (a.matches("\\d{1,3}")) {
      int i = Integer.parseInt(a);
      boolean isValue = options.stream().anyMatch(o -> o.value().equals(a));
      if (!isValue && i >= 1 && i <= options.size()) {
        return options.get(i - 1).value();
      }
    }
    for (LockView.Option o : options) {
      if (o.value().equals(a)) {
        return o.value();
      }
    }
    for (LockView.Option o : options) {
      if (o.value().equalsIgnoreCase(a) || o.label().equalsIgnoreCase(a)) {
        return o.value();
      }
    }
    return null;
  }

  static Number number(String s, boolean integer) {
    BigDecimal n;
    try {
      n = new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
    if (!integer) {
      return n;
    }
    try {
      return n.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException notWhole) {
      return null;
    }
  }

  /** A field's default as the prompt shows it (booleans as y/n). */
  private record JsonDefault(String shown) {
    static JsonDefault of(LockView.FormField f) {
      var d = f.defaultValue();
      if (d == null) {
        return null;
      }
      if (d.isBoolean()) {
        return new JsonDefault(d.asBoolean() ? "y" : "n");
      }
      return new JsonDefault(d.isString() ? d.stringValue() : d.toString());
    }
  }
}
