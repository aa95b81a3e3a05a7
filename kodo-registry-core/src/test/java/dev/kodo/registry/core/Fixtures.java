package dev.kodo.registry.core;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small builders of records for tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private Fixtures() {}

  static FlowAnnouncement flow(String path, String name, String release, String... tags) {
    return new FlowAnnouncement(
        path, name, "About " + name, "Ada", "ACME", T0, release, List.of(tags));
  }

  static FlowAnnouncement flow(String path) {
    return flow(path, "Flow " + path, "1.0.0");
  }

  /** A flow record as the index would answer it, with the fields tests vary. */
  static RegistryFlow record(
      String name, List<String> tags, Double availability, boolean online, String release) {
    return new RegistryFlow(
        "alpha",
        name.toLowerCase().replace(' ', '-') + ".yaml",
        name,
        "Does " + name,
        "Ada Lovelace",
        "ACME",
        T0,
        release,
        tags,
        tags,
        Constraints.NONE,
        false,
        null,
        new FlowUsage(12, 10),
        "http://127.0.0.1:3370",
        online,
        T0.minusSeconds(30),
        availability,
        List.of("eu", "gpu"),
        null);
  }

  static RegistryFlow record(String name) {
    return record(name, List.of("finance"), 0.95, true, "1.2.0");
  }

  static RegistryNode node(
      String name,
      boolean online,
      Double availability,
      Map<String, Double> health,
      int flows,
      String... tags) {
    return new RegistryNode(
        name,
        "http://" + name + ":3370",
        T0.minusSeconds(3600),
        online,
        online,
        T0.minusSeconds(10),
        health,
        availability,
        12.5,
        Arrays.asList(tags),
        Arrays.asList(tags),
        Constraints.NONE,
        false,
        null,
        null,
        flows);
  }
}
