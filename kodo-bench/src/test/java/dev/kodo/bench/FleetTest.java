package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Connect;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.Json;
import dev.kodo.registry.core.AnnouncementResult;
import dev.kodo.registry.core.Announcements;
import dev.kodo.registry.core.ListRequest;
import dev.kodo.registry.core.RegistryIndex;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The registry scenario's made-up fleet: valid announcements and heartbeats, and searches that pick
 * a share of it.
 */
class FleetTest {
  private static final Fleet FLEET = new Fleet(1_000, 10);
  private static RegistryIndex index;

  /** The fleet, read the way the registry service reads its requests, in an index of its own. */
  @BeforeAll
  static void announceTheFleet() {
    index = RegistryIndex.create(Clock.systemUTC(), Duration.ofSeconds(300));
    for (int n = 0; n < FLEET.nodes(); n++) {
      JsonNode body = Json.read(FLEET.connectBody(n));
      String node = body.get("node").asString();
      index.register(node);
      AnnouncementResult checked = Announcements.fromJson(body.get("flows"));
      assertThat(checked.rejected()).as(node).isEmpty();
      List<String> tags = new ArrayList<>();
      body.get("tags").forEach(t -> tags.add(t.asString()));
      AnnouncementResult kept =
          index.connect(new Connect(node, body.get("url").asString(), tags, checked.accepted()));
      assertThat(kept.rejected()).as(node).isEmpty();
      assertThat(index.heartbeat(heartbeat(Json.read(FLEET.heartbeatBody(n, 0))))).isTrue();
    }
  }

  /** A heartbeat body as {@code PUT /registry/state} reads it. */
  private static Heartbeat heartbeat(JsonNode body) {
    Map<String, Double> health = new HashMap<>();
    body.get("health").properties().forEach(e -> health.put(e.getKey(), e.getValue().asDouble()));
    Map<String, FlowUsage> usage = new HashMap<>();
    body.get("usage")
        .properties()
        .forEach(
            e ->
                usage.put(
                    e.getKey(),
                    new FlowUsage(
                        e.getValue().get("runsStarted").asDouble(),
                        e.getValue().get("runsFinished").asDouble())));
    return new Heartbeat(body.get("node").asString(), health, usage);
  }

  @Test
  void everyNodeAnnouncesAllItsFlowsAndIsOnline() {
    RegistryIndex.Counts counts = index.counts();
    assertThat(counts.nodes()).isEqualTo(1_000);
    assertThat(counts.flows()).isEqualTo(10_000);
    assertThat(counts.online()).isEqualTo(1_000);
  }

  @Test
  void aNodeIsTheSameOnEveryCallAndItsHeartbeatsReportItsFlows() {
    assertThat(FLEET.connectBody(42)).isEqualTo(new Fleet(1_000, 10).connectBody(42));
    assertThat(FLEET.node(42)).matches("(eu|us|apac)-(prod|staging)-00042");
    JsonNode connect = Json.read(FLEET.connectBody(42));
    Set<String> paths = new HashSet<>();
    connect.get("flows").forEach(f -> paths.add(f.get("path").asString()));
    Heartbeat beat = heartbeat(Json.read(FLEET.heartbeatBody(42, 7)));
    assertThat(beat.node()).isEqualTo(FLEET.node(42));
    assertThat(beat.usage().keySet()).isEqualTo(paths);
    assertThat(beat.health()).containsEntry("uptime", (double) Fleet.uptime(7));
    assertThat(Json.read(FLEET.registerBody(42)).get("node").asString()).isEqualTo(FLEET.node(42));
  }

  @Test
  void flowsAreVaried() {
    Set<String> names = new HashSet<>();
    Set<String> authors = new HashSet<>();
    Set<String> organizations = new HashSet<>();
    Set<String> releases = new HashSet<>();
    for (int n = 0; n < 200; n++) {
      Json.read(FLEET.connectBody(n))
          .get("flows")
          .forEach(
              f -> {
                names.add(f.get("name").asString());
                authors.add(f.get("author").asString());
                organizations.add(f.get("organization").asString());
                releases.add(f.get("release").asString());
              });
    }
    assertThat(names).hasSizeGreaterThan(500);
    assertThat(authors).hasSizeGreaterThan(200);
    assertThat(organizations).hasSizeGreaterThan(15);
    assertThat(releases).hasSizeGreaterThan(200).anyMatch(r -> r.contains("-"));
  }

  /**
   * Neither all nor none: so that the scenario's lists filter, sort and page a realistic number of
   * flows.
   */
  @Test
  void searchesAndQueriesEachPickAShareOfTheFlows() {
    double flows = index.counts().flows();
    for (String search : Fleet.searches()) {
      assertThat(index.flows(ListRequest.of(search, null, null, 0, 1)).filtered() / flows)
          .as(search)
          .isBetween(0.01, 0.35);
    }
    for (String query : Fleet.queries()) {
      assertThat(index.flows(ListRequest.of(null, query, null, 0, 1)).filtered() / flows)
          .as(query)
          .isBetween(0.10, 0.50);
    }
    double share = 0;
    int none = 0;
    for (String search : Fleet.searches()) {
      for (String query : Fleet.queries()) {
        long hits = index.flows(ListRequest.of(search, query, null, 0, 1)).filtered();
        share += hits / flows;
        if (hits == 0) none++;
      }
    }
    int pairs = Fleet.searches().size() * Fleet.queries().size();
    assertThat(share / pairs).as("mean share of a search and a query").isBetween(0.01, 0.10);
    assertThat(none).as("pairs that match nothing, of " + pairs).isLessThanOrEqualTo(pairs / 7);
  }

  @Test
  void everyOrderIsASortTheRegistryKnows() {
    for (String by : Fleet.orders()) {
      assertThat(index.flows(ListRequest.of(null, null, by, 0, 5)).items()).as(by).hasSize(5);
    }
  }
}
