package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.engine.RunEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class NodeRunEnvironmentTest {

  private static RunEnvironment of(Map<String, Object> args, Map<String, Object> variables) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("vars", variables));
    env.getPropertySources().addFirst(new MapPropertySource("args", args));
    return NodeRunEnvironment.of(env);
  }

  @Test
  void secretsKeepTheirNamesAsWrittenAndTheHigherSourceWins() {
    RunEnvironment run =
        of(
            Map.of(
                "kodo.secrets.OPENAI_API_KEY", "from-args",
                "kodo.secrets[Mixed_Case]", "bracketed",
                "kodo.secretsX", "not a secret"),
            Map.of(
                "KODO_SECRETS_OPENAI_API_KEY", "from-variable",
                "KODO_SECRETS_ANTHROPIC_API_KEY", "anthropic"));
    assertThat(run.secrets().get("OPENAI_API_KEY")).contains("from-args");
    assertThat(run.secrets().get("ANTHROPIC_API_KEY")).contains("anthropic");
    assertThat(run.secrets().get("Mixed_Case")).contains("bracketed");
    assertThat(run.secrets().get("X")).isEmpty();
    assertThat(run.secrets().get("PATH"))
        .as("the process environment is the fallback")
        .isEqualTo(java.util.Optional.ofNullable(System.getenv("PATH")));
  }

  @Test
  void engineSettingsAreFlattenedBelowKodoAgents() {
    RunEnvironment run =
        of(
            Map.of(
                "kodo.agents.prices.gpt-4.1.input", "2.0",
                "kodo.agents.models.default.provider", "openai"),
            Map.of("KODO_AGENTS_MODELS_DEFAULT_MODEL", "gpt-4o-mini"));
    assertThat(run.settings())
        .containsEntry("prices.gpt-4.1.input", "2.0")
        .containsEntry("models.default.provider", "openai")
        .containsEntry("models.default.model", "gpt-4o-mini")
        .doesNotContainKey("OPENAI_API_KEY");
  }
}
