package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventTypeTest {

  private static Map<String, String> typesByKind() {
    return Arrays.stream(EventType.values())
        .collect(Collectors.toMap(EventType::type, EventType::kind));
  }

  @Test
  void theCatalogueIsDesignSection3WithTheRightKinds() {
    assertThat(typesByKind())
        .containsOnly(
            Map.entry("inputs", "data"),
            Map.entry("version", "data"),
            Map.entry("flow", "data"),
            Map.entry("config", "data"),
            Map.entry("agent", "data"),
            Map.entry("task", "data"),
            Map.entry("tool", "data"),
            Map.entry("progress", "process"),
            Map.entry("final", "process"),
            Map.entry("result", "process"),
            Map.entry("result-error", "process"),
            Map.entry("action", "process"),
            Map.entry("action-error", "process"),
            Map.entry("stdout", "process"),
            Map.entry("stderr", "process"),
            Map.entry("fatal", "process"),
            Map.entry("acknowledge", "manage"),
            Map.entry("share", "manage"),
            Map.entry("kill", "manage"),
            Map.entry("delete", "manage"),
            Map.entry("lock", "lock"),
            Map.entry("candidate", "lock"),
            Map.entry("unlock", "lock"),
            Map.entry("unlock-deny", "lock"),
            Map.entry("unlock-timeout", "lock"),
            Map.entry("lock-timeout", "lock"));
  }

  @Test
  void levelsFollowWhoMaySeeWhat() {
    assertThat(typesAt(Level.FULL))
        .containsExactlyInAnyOrder(
            "config", "agent", "task", "tool", "action", "action-error", "stdout", "stderr");
    assertThat(typesAt(Level.ADVANCED)).containsExactlyInAnyOrder("result", "result-error");
    assertThat(typesAt(Level.BASIC))
        .containsExactlyInAnyOrder(
            "inputs",
            "version",
            "flow",
            "progress",
            "final",
            "fatal",
            "acknowledge",
            "share",
            "kill",
            "delete",
            "lock",
            "candidate",
            "unlock",
            "unlock-deny",
            "unlock-timeout",
            "lock-timeout");
  }

  private static String[] typesAt(Level level) {
    return Arrays.stream(EventType.values())
        .filter(t -> t.level() == level)
        .map(EventType::type)
        .toArray(String[]::new);
  }

  @Test
  void aHigherLevelSeesEverythingALowerOneSees() {
    assertThat(Level.FULL.includes(Level.ADVANCED)).isTrue();
    assertThat(Level.FULL.includes(Level.BASIC)).isTrue();
    assertThat(Level.ADVANCED.includes(Level.BASIC)).isTrue();
    assertThat(Level.ADVANCED.includes(Level.ADVANCED)).isTrue();
    assertThat(Level.BASIC.includes(Level.ADVANCED)).isFalse();
    assertThat(Level.ADVANCED.includes(Level.FULL)).isFalse();
  }

  @Test
  void onlyFinalFatalAndKillEndARunsStream() {
    assertThat(Arrays.stream(EventType.values()).filter(EventType::terminal))
        .containsExactlyInAnyOrder(EventType.FINAL, EventType.FATAL, EventType.KILL);
  }

  @Test
  void looksTypesUpByTheirWireName() {
    assertThat(EventType.of("result-error")).contains(EventType.RESULT_ERROR);
    assertThat(EventType.of("RESULT_ERROR")).isEmpty();
    assertThat(EventType.of("telemetry")).isEmpty();
    assertThat(EventType.require("lock-timeout")).isEqualTo(EventType.LOCK_TIMEOUT);
    assertThat(EventType.UNLOCK_DENY).hasToString("unlock-deny");
    for (EventType t : EventType.values()) {
      assertThat(EventType.require(t.type())).isSameAs(t);
    }
  }

  @Test
  void anUnknownTypeIsNamedInTheError() {
    assertThatThrownBy(() -> EventType.require("telemetry"))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("'telemetry'");
  }

  @Test
  void eventsKnowWhetherTheyEndTheRun() {
    assertThat(Event.of("f1", 1, Instant.EPOCH, EventType.KILL, "{}").terminal()).isTrue();
    assertThat(Event.of("f1", 1, Instant.EPOCH, EventType.PROGRESS, "{}").terminal()).isFalse();
  }
}
