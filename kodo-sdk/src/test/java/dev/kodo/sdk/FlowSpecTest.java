package dev.kodo.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlowSpecTest {

  @Test
  void fillsDefaults() {
    FlowSpec spec = FlowSpec.builder("Hello").build();
    assertThat(spec.release()).isEqualTo("0.1.0");
    assertThat(spec.description()).isEmpty();
    assertThat(spec.tags()).isEmpty();
    assertThat(spec.inputs().fields()).isEmpty();
    assertThat(spec.maxConcurrentRuns()).isZero();
  }

  @Test
  void declaresHowManyRunsAtOnce() {
    assertThat(FlowSpec.builder("Hello").maxConcurrentRuns(3).build().maxConcurrentRuns())
        .isEqualTo(3);
    assertThatThrownBy(() -> FlowSpec.builder("Hello").maxConcurrentRuns(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentRuns of flow 'Hello' must be 0 (no limit) or more, not -1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "v1.0.0", "01.2.3", "1.2.3.4", "latest"})
  void rejectsReleasesThatAreNotSemanticVersions(String release) {
    assertThatThrownBy(() -> FlowSpec.builder("Hello").release(release).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "release '" + release + "' of flow 'Hello' is not a semantic version like 1.2.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.1", "1.2.3", "2.0.0-rc.1", "1.0.0+build.5"})
  void acceptsSemanticVersions(String release) {
    assertThat(FlowSpec.builder("Hello").release(release).build().release()).isEqualTo(release);
  }

  @Test
  void needsAName() {
    assertThatThrownBy(() -> FlowSpec.builder(" ").build())
        .hasMessage("flow name cannot be null or blank");
    assertThatThrownBy(() -> FlowSpec.builder("x").tags("ok", ""))
        .hasMessage("tag cannot be null or blank");
  }
}
