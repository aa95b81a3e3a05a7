package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry's records as they travel: one model, written by the registry, read by its client.
 */
class RegistryRecordsJsonTest {

  @Test
  void aFlowRecordTravelsWithTypedConstraintsAndUsage() {
    RegistryFlow flow =
        new RegistryFlow(
            "alpha",
            "a.yaml",
            "A",
            "",
            "",
            "",
            null,
            "1.0.0",
            List.of("x"),
            List.of("y"),
            new Constraints(List.of("x"), false, "call Bob"),
            false,
            "call Bob",
            new FlowUsage(3, 2, 4, 1200, 300, 0.125),
            "http://127.0.0.1:3370",
            true,
            Instant.parse("2026-01-01T00:00:00Z"),
            0.5,
            List.of(),
            null);
    String json = Json.mapper().writeValueAsString(flow);

    assertThat(json)
        .contains("\"constraints\":{\"tags\":[\"x\"],\"hidden\":false,\"notes\":\"call Bob\"}")
        .contains(
            "\"usage\":{\"runsStarted\":3.0,\"runsFinished\":2.0,\"modelCalls\":4.0,"
                + "\"inputTokens\":1200.0,\"outputTokens\":300.0,\"cost\":0.125}")
        .doesNotContain("\"none\"");
    RegistryFlow read = Json.mapper().readValue(json, RegistryFlow.class);
    assertThat(read).isEqualTo(flow);
    assertThat(read.constraints().notes()).isEqualTo("call Bob");
    assertThat(read.usage().runsStarted()).isEqualTo(3.0);
  }

  @Test
  void usageWithoutModelFiguresFromAnOlderNodeOrRegistryReadsThemAsZero() {
    FlowUsage old =
        Json.mapper().readValue("{\"runsStarted\":3.0,\"runsFinished\":2.0}", FlowUsage.class);

    assertThat(old).isEqualTo(new FlowUsage(3, 2)).isEqualTo(new FlowUsage(3, 2, 0, 0, 0, 0));
    Heartbeat beat =
        Json.mapper()
            .readValue(
                "{\"node\":\"alpha\",\"usage\":{\"a.yaml\":{\"runsStarted\":1}}}", Heartbeat.class);
    assertThat(beat.usage()).containsEntry("a.yaml", new FlowUsage(1, 0));
  }

  @Test
  void aRunDocumentCarriesItsUsageAndOneFromAnOlderNodeHasNone() {
    RunDocument doc =
        Json.mapper()
            .readValue(
                "{\"fid\":\"f1\",\"flow\":\"crew\",\"state\":\"done\",\"acknowledged\":true,"
                    + "\"events\":3,\"usage\":{\"calls\":2,\"inputTokens\":30,\"outputTokens\":7,"
                    + "\"cost\":null}}",
                RunDocument.class);
    assertThat(doc.usage()).isEqualTo(new RunUsage(2, 30, 7, null));

    RunDocument older =
        Json.mapper()
            .readValue(
                "{\"fid\":\"f1\",\"flow\":\"crew\",\"state\":\"done\",\"acknowledged\":true,\"events\":3}",
                RunDocument.class);
    assertThat(older.usage()).isNull();
  }

  @Test
  void aNodeRecordTravelsWithTypedConstraints() {
    RegistryNode node =
        new RegistryNode(
            "alpha",
            null,
            Instant.parse("2026-01-01T00:00:00Z"),
            false,
            false,
            null,
            Map.of("load", 0.5),
            null,
            null,
            List.of(),
            List.of(),
            Constraints.NONE,
            false,
            null,
            null,
            0);
    String json = Json.mapper().writeValueAsString(node);

    assertThat(json).doesNotContain("\"none\"");
    assertThat(Json.mapper().readValue(json, RegistryNode.class).constraints().isNone()).isTrue();
  }

  @Test
  void aNodesHandshakeAndHeartbeatTravelInTheShapeTheRegistryReads() {
    Instant published = Instant.parse("2026-11-27T10:15:30.123Z");
    Connect connect =
        new Connect(
            "alpha",
            "http://127.0.0.1:3370",
            null,
            List.of(
                new FlowAnnouncement(
                    "a.yaml", "A", "does a", "Ada", "ACME", published, "1.0.0", List.of("x"))));
    String json = Json.mapper().writeValueAsString(connect);

    assertThat(json)
        .contains("\"published\":\"2026-11-27T10:15:30.123Z\"")
        .contains("\"flows\":[{\"path\":\"a.yaml\"");
    assertThat(Json.mapper().readValue(json, Connect.class)).isEqualTo(connect);

    Heartbeat beat =
        new Heartbeat("alpha", Map.of("activeRuns", 2.0), Map.of("a.yaml", new FlowUsage(3, 1)));
    assertThat(Json.mapper().writeValueAsString(beat))
        .isEqualTo(
            "{\"node\":\"alpha\",\"health\":{\"activeRuns\":2.0},\"usage\":{\"a.yaml\":{\"runsStarted\":3.0,\"runsFinished\":1.0,"
                + "\"modelCalls\":0.0,\"inputTokens\":0.0,\"outputTokens\":0.0,\"cost\":0.0}}}");
  }
}
