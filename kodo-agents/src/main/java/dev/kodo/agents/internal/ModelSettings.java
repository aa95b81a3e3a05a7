package dev.kodo.agents.internal;

import dev.kodo.agents.crew.LlmSpec;
import dev.kodo.client.KodoException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The named models of the engine settings (docs/configuration.md, {@code
 * kodo.agents.models.<name>.*}), as {@link LlmSpec}s still holding their {@code ${VAR}}
 * placeholders, and the built-in defaults every model falls back to: provider {@code openai},
 * timeout 60 s, 3 retries, and per provider a model ({@code gpt-4o-mini} for OpenAI), its base URL
 * and its usual key variable. Stateless.
 */
final class ModelSettings {
  /** The model a Java flow gets when it names no other; works with just {@code OPENAI_API_KEY}. */
  static final String DEFAULT_NAME = "default";

  static final String DEFAULT_PROVIDER = "openai";
  static final String DEFAULT_MODEL = "gpt-4o-mini";

  /** The model of each provider when none is set. */
  static final Map<String, String> DEFAULT_MODELS =
      Map.of(
          "openai", DEFAULT_MODEL,
          "anthropic", "claude-3-5-haiku-latest",
          "gemini", "gemini-2.0-flash");

  static final int DEFAULT_TIMEOUT_SECONDS = 60;
  static final int DEFAULT_MAX_RETRIES = 3;
  static final String OPENAI_BASE_URL = "${OPENAI_BASE_URL:-https://api.openai.com/v1}";

  /** Providers and the variable their key is read from when no {@code api-key} is set. */
  static final Map<String, String> KEY_VARIABLES =
      Map.of(
          "openai", "OPENAI_API_KEY", "anthropic", "ANTHROPIC_API_KEY", "gemini", "GEMINI_API_KEY");

  private static final Set<String> FIELDS =
      Set.of(
          "provider",
          "model",
          "base-url",
          "api-key",
          "temperature",
          "max-tokens",
          "timeout-seconds",
          "max-retries");

  private ModelSettings() {}

  /**
   * The settings of the model named {@code name}, placeholders unresolved; unset fields stay null
   * ({@link #withDefaults} fills them).
   *
   * @throws KodoException if no {@code models.<name>.*} key is set (except for {@code default},
   *     which is built in), a key is unknown, or a number is not one — naming the key
   */
  static LlmSpec named(Map<String, String> settings, String name) {
    if (name == null || name.isBlank()) {
      throw new KodoException("a model name is required, e.g. \"" + DEFAULT_NAME + "\"");
    }
    String prefix = "models." + name + ".";
    boolean any = false;
    for (String key : settings.keySet()) {
      if (key.startsWith(prefix)) {
        any = true;
        String field = key.substring(prefix.length());
        if (!FIELDS.contains(field)) {
          throw new KodoException(
              "kodo.agents."
                  + key
                  + " is not a model setting; a model has "
                  + String.join(", ", FIELDS.stream().sorted().toList()));
        }
      }
    }
    if (!any && !name.equals(DEFAULT_NAME)) {
      throw new KodoException(
          "no model named \""
              + name
              + "\" is configured: set kodo.agents.models."
              + name
              + ".provider and .model (docs/configuration.md)");
    }
    return new LlmSpec(
        text(settings.get(prefix + "provider")),
        text(settings.get(prefix + "model")),
        text(settings.get(prefix + "base-url")),
        text(settings.get(prefix + "api-key")),
        decimal(settings, prefix + "temperature"),
        integer(settings, prefix + "max-tokens"),
        integer(settings, prefix + "timeout-seconds"),
        integer(settings, prefix + "max-retries"));
  }

  /**
   * {@code spec} with every unset field taken from the built-in defaults; the key and base URL
   * defaults are placeholders ({@code ${OPENAI_API_KEY}}, …) still to be resolved.
   *
   * @throws KodoException for an unknown provider
   */
  static LlmSpec withDefaults(LlmSpec spec) {
    String provider =
        spec.provider() == null
            ? DEFAULT_PROVIDER
            : spec.provider().strip().toLowerCase(Locale.ROOT);
    if (!KEY_VARIABLES.containsKey(provider)) {
      throw new KodoException(
          "unknown model provider \""
              + spec.provider()
              + "\": use openai (also any OpenAI-compatible server: Ollama, vLLM, llama.cpp, LM"
              + " Studio), anthropic or gemini");
    }
    String baseUrl = spec.baseUrl();
    if (baseUrl == null && provider.equals("openai")) {
      baseUrl = OPENAI_BASE_URL;
    }
    String apiKey = spec.apiKey();
    if (apiKey == null) {
      apiKey = "${" + KEY_VARIABLES.get(provider) + "}";
    }
    return new LlmSpec(
        provider,
        spec.model() == null ? DEFAULT_MODELS.get(provider) : spec.model(),
        baseUrl,
        apiKey,
        spec.temperature(),
        spec.maxTokens(),
        spec.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : spec.timeoutSeconds(),
        spec.maxRetries() == null ? DEFAULT_MAX_RETRIES : spec.maxRetries());
  }

  /** A number setting; {@code key} is named in the error. */
  static double number(String key, String value) {
    try {
      double d = Double.parseDouble(value.strip());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new KodoException(key + ": \"" + value + "\" is not a number");
    }
  }

  private static String text(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Double decimal(Map<String, String> settings, String key) {
    String v = text(settings.get(key));
    return v == null ? null : number("kodo.agents." + key, v);
  }

  private static Integer integer(Map<String, String> settings, String key) {
    String v = text(settings.get(key));
    if (v == null) {
      return null;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < 0) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new KodoException(
          "kodo.agents." + key + ": \"" + v + "\" is not a whole number of 0 or more");
    }
  }
}
