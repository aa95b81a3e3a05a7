package dev.kodo.agents.crew;

import dev.kodo.engine.Secrets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two kinds of placeholder in a crew (docs/flows.md#yaml-crews), and the one place that
 * resolves them:
 *
 * <ul>
 *   <li>{@code ${VAR}} and {@code ${VAR:-default}} in model and tool settings: resolved at launch
 *       against the run's {@link Secrets} (environment, then {@code kodo.secrets.*}); a value is
 *       never logged, a missing name is reported by name only;
 *   <li>{@code {input}} in roles, goals, backstories, task descriptions and expected outputs:
 *       filled with the run's inputs.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class Placeholders {
  /** {@code ${NAME}} or {@code ${NAME:-default}}; names are letters, digits and underscores. */
  public static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  /**
   * {@code {name}}, not preceded by {@code $}; names are letters, digits, {@code _} and {@code -}.
   */
  public static final Pattern INPUT = Pattern.compile("(?<!\\$)\\{([A-Za-z_][A-Za-z0-9_-]*)}");

  private Placeholders() {}

  /** The names of the {@code ${VAR}} placeholders in {@code text} without a default, in order. */
  public static Set<String> required(String text) {
    Set<String> names = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = VARIABLE.matcher(text);
      while (m.find()) {
        if (m.group(2) == null) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /** The names of the {@code {input}} placeholders in {@code text}, in order. */
  public static Set<String> inputs(String text) {
    Set<String> names = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = INPUT.matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * {@code text} with each {@code ${VAR}} replaced by its value from {@code secrets} (or its
   * default).
   *
   * @throws MissingVariableException naming every variable that has neither value nor default
   */
  public static String resolve(String text, Secrets secrets) {
    if (text == null || text.indexOf("${") < 0) {
      return text;
    }
    Set<String> missing = new LinkedHashSet<>();
    String out =
        replace(
            VARIABLE,
            text,
            m -> {
              String value = secrets.get(m.group(1)).filter(v -> !v.isEmpty()).orElse(null);
              if (value != null) {
                return value;
              }
              if (m.group(2) != null) {
                return m.group(2);
              }
              missing.add(m.group(1));
              return "";
            });
    if (!missing.isEmpty()) {
      throw new MissingVariableException(missing);
    }
    return out;
  }

  /**
   * Model settings with every {@code ${VAR}} resolved.
   *
   * @throws MissingVariableException naming every missing variable of all the settings at once
   */
  public static LlmSpec resolve(LlmSpec spec, Secrets secrets) {
    Set<String> missing = new LinkedHashSet<>();
    String provider = resolveCollecting(spec.provider(), secrets, missing);
    String model = resolveCollecting(spec.model(), secrets, missing);
    String baseUrl = resolveCollecting(spec.baseUrl(), secrets, missing);
    String apiKey = resolveCollecting(spec.apiKey(), secrets, missing);
    if (!missing.isEmpty()) {
      throw new MissingVariableException(missing);
    }
    return new LlmSpec(
        provider,
        model,
        baseUrl,
        apiKey,
        spec.temperature(),
        spec.maxTokens(),
        spec.timeoutSeconds(),
        spec.maxRetries());
  }

  /** The names among {@code names} that {@code secrets} does not set (defaults do not count). */
  public static Set<String> missing(Set<String> names, Secrets secrets) {
    Set<String> missing = new LinkedHashSet<>();
    for (String name : names) {
      if (secrets.get(name).filter(v -> !v.isEmpty()).isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  /**
   * {@code text} with each {@code {input}} replaced by the input's value ({@code String.valueOf});
   * a placeholder that names no input stays as written (the parser has rejected those already).
   */
  public static String fill(String text, Map<String, ?> inputs) {
    if (text == null || text.indexOf('{') < 0) {
      return text;
    }
    return replace(
        INPUT,
        text,
        m -> inputs.containsKey(m.group(1)) ? String.valueOf(inputs.get(m.group(1))) : m.group());
  }

  private static String resolveCollecting(String text, Secrets secrets, Set<String> missing) {
    try {
      return resolve(text, secrets);
    } catch (MissingVariableException e) {
      missing.addAll(e.names());
      return null;
    }
  }

  private static String replace(Pattern pattern, String text, Function<Matcher, String> value) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
