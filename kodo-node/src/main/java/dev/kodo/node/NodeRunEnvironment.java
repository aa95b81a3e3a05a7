package dev.kodo.node;

import dev.kodo.engine.RunEnvironment;
import dev.kodo.engine.Secrets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@link RunEnvironment} a node's worker gives every run
 * (docs/configuration.md#secrets-and-engine-settings): the secrets {@code kodo.secrets.<NAME>} over
 * the process environment, and the engine settings {@code kodo.agents.*} with keys relative to
 * {@code kodo.agents.}.
 *
 * <p>Read from the property sources as written, not through Spring's binder, which would drop the
 * underscores of {@code OPENAI_API_KEY} and the case of a map key: a secret's name is kept exactly
 * ({@code kodo.secrets.OPENAI_API_KEY}, {@code kodo.secrets[OPENAI_API_KEY]} or the variable {@code
 * KODO_SECRETS_<NAME>}), as is a setting's key ({@code kodo.agents.prices.gpt-4o.input}); a setting
 * given as a variable ({@code KODO_AGENTS_<KEY>}) becomes lower case with dots ({@code
 * MODELS_DEFAULT_PROVIDER} is {@code models.default.provider}). The source Spring ranks higher
 * wins. Values are never logged.
 */
final class NodeRunEnvironment {
  private static final String SECRETS = "kodo.secrets";
  private static final String AGENTS = "kodo.agents";
  private static final String SECRETS_VARIABLE = "KODO_SECRETS_";
  private static final String AGENTS_VARIABLE = "KODO_AGENTS_";

  private NodeRunEnvironment() {}

  /**
   * The secrets and engine settings {@code env} configures, secrets over the process environment.
   */
  static RunEnvironment of(ConfigurableEnvironment env) {
    Map<String, String> secrets = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (PropertySource<?> source : env.getPropertySources()) {
      if (!(source instanceof EnumerablePropertySource<?> names)) {
        continue;
      }
      boolean variables = source instanceof SystemEnvironmentPropertySource;
      for (String name : names.getPropertyNames()) {
        Object value = source.getProperty(name);
        if (value == null) {
          continue;
        }
        String key = relative(name, SECRETS);
        if (key != null) {
          secrets.putIfAbsent(key, value.toString());
          continue;
        }
        key = relative(name, AGENTS);
        if (key != null) {
          settings.putIfAbsent(key, value.toString());
          continue;
        }
        if (variables
            && name.startsWith(SECRETS_VARIABLE)
            && name.length() > SECRETS_VARIABLE.length()) {
          secrets.putIfAbsent(name.substring(SECRETS_VARIABLE.length()), value.toString());
        } else if (variables
            && name.startsWith(AGENTS_VARIABLE)
            && name.length() > AGENTS_VARIABLE.length()) {
          settings.putIfAbsent(
              name.substring(AGENTS_VARIABLE.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
              value.toString());
        }
      }
    }
    return new RunEnvironment(Secrets.of(secrets).orElse(Secrets.environment()), settings);
  }

  /**
   * The part of {@code name} after {@code prefix.} (or inside {@code prefix[…]}, Spring's notation
   * for a map key kept as written), or null when {@code name} is not under {@code prefix}.
   */
  private static String relative(String name, String prefix) {
    if (!name.startsWith(prefix) || name.length() <= prefix.length() + 1) {
      return null;
    }
    char next = name.charAt(prefix.length());
    String rest = name.substring(prefix.length() + 1);
    if (next == '.') {
      return rest;
    }
    if (next == '[' && rest.indexOf(']') > 0) {
      int close = rest.indexOf(']');
      String key = rest.substring(0, close);
      String tail = rest.substring(close + 1);
      return tail.isEmpty() ? key : key + (tail.startsWith(".") ? tail : "." + tail);
    }
    return null;
  }
}
