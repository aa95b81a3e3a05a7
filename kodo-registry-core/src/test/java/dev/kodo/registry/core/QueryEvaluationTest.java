package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static dev.kodo.registry.core.Fixtures.node;
import static dev.kodo.registry.core.Fixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queries evaluated against records: what each operator means for each type of field. */
class QueryEvaluationTest {
  private static final RegistryFlow REPORT =
      record("Market Report", List.of("Finance", "weekly"), 0.95, true, "1.10.0");
  private static final RegistryFlow DRAFT =
      record("Draft Plan", List.of("planning"), null, false, "2.0.0-beta.1");

  private static boolean matches(String query, RegistryFlow r) {
    return Query.flows(query).matches(r, T0);
  }

  @Test
  void textIgnoresCase() {
    assertThat(matches("name = \"MARKET report\"", REPORT)).isTrue();
    assertThat(matches("name != \"market report\"", REPORT)).isFalse();
    assertThat(matches("name contains \"KET REP\"", REPORT)).isTrue();
    assertThat(matches("name ~ \"m*t\"", REPORT)).isTrue();
    assertThat(matches("name ~ \"market\"", REPORT)).as("~ is anchored").isFalse();
    assertThat(matches("name ~ \"?arket report\"", REPORT)).isTrue();
    assertThat(matches("name in [\"x\", \"market report\"]", REPORT)).isTrue();
    assertThat(matches("name < \"n\" and name >= \"market\"", REPORT)).isTrue();
    assertThat(matches("name > \"n\"", REPORT)).isFalse();
    assertThat(matches("author contains \"lovelace\" and organization = \"acme\"", REPORT))
        .isTrue();
    assertThat(matches("node = \"ALPHA\" and path = \"market-report.yaml\"", REPORT)).isTrue();
    assertThat(matches("description contains \"does market\"", REPORT)).isTrue();
  }

  @Test
  void numbersAndAbsentNumbers() {
    assertThat(matches("availability > 0.9", REPORT)).isTrue();
    assertThat(matches("availability >= 0.95 and availability <= 0.95", REPORT)).isTrue();
    assertThat(matches("availability < 0.9", REPORT)).isFalse();
    assertThat(matches("availability in [0.5, 0.95]", REPORT)).isTrue();
    // never probed: equals only null; != is the negation of =; any other comparison is false
    assertThat(matches("availability = null", DRAFT)).isTrue();
    assertThat(matches("availability != null", DRAFT)).isFalse();
    assertThat(matches("availability > 0.5", DRAFT)).isFalse();
    assertThat(matches("availability <= 0.5", DRAFT)).isFalse();
    assertThat(matches("availability != 0.5", DRAFT)).isTrue();
    assertThat(matches("not availability > 0.5", DRAFT)).isTrue();
    assertThat(matches("availability in [0.5]", DRAFT)).isFalse();
    assertThat(matches("runs_started = 12 and runs_finished < 11", REPORT)).isTrue();
  }

  @Test
  void tagListsAskForElements() {
    assertThat(matches("tags contains \"finance\"", REPORT)).isTrue();
    assertThat(matches("tags = \"FINANCE\"", REPORT)).isTrue();
    assertThat(matches("tags contains \"fin\"", REPORT))
        .as("an element, not a substring")
        .isFalse();
    assertThat(matches("tags ~ \"fin*\"", REPORT)).isTrue();
    assertThat(matches("tags != \"finance\"", REPORT)).isFalse();
    assertThat(matches("tags != \"finance\"", DRAFT)).isTrue();
    assertThat(matches("tags in [\"planning\", \"weekly\"]", REPORT)).isTrue();
    assertThat(matches("tags in [\"planning\", \"daily\"]", REPORT)).isFalse();
    assertThat(matches("node_tags contains \"gpu\"", REPORT)).isTrue();
  }

  @Test
  void releasesCompareAsSemanticVersions() {
    assertThat(matches("release > \"1.9.0\"", REPORT)).as("1.10.0 > 1.9.0, unlike text").isTrue();
    assertThat(matches("release = \"1.10.0+build.7\"", REPORT))
        .as("build metadata is ignored")
        .isTrue();
    assertThat(matches("release < \"2.0.0\"", DRAFT))
        .as("a pre-release comes before its release")
        .isTrue();
    assertThat(matches("release > \"2.0.0-alpha\"", DRAFT)).isTrue();
    assertThat(matches("release > \"2.0.0-beta.1\"", DRAFT)).isFalse();
    assertThat(matches("release contains \"beta\"", DRAFT)).isTrue();
    assertThat(matches("release ~ \"1.*\"", REPORT)).isTrue();
    assertThat(matches("release in [\"1.0.0\", \"1.10.0\"]", REPORT)).isTrue();
  }

  @Test
  void timesAndAges() {
    // heartbeat was 30 s before T0, published at T0
    assertThat(matches("heartbeat > \"2026-11-27\"", REPORT)).isTrue();
    assertThat(matches("heartbeat < \"2026-11-27T09:59:31Z\"", REPORT)).isTrue();
    assertThat(matches("heartbeat < \"2026-11-27T10:59:31+01:00\"", REPORT))
        .as("offsets count")
        .isTrue();
    assertThat(matches("published = \"2026-11-27T10:00:00Z\"", REPORT)).isTrue();
    assertThat(matches("heartbeat_age >= 30 and heartbeat_age < 31", REPORT)).isTrue();
    assertThat(Query.flows("heartbeat_age > 60").matches(REPORT, T0.plusSeconds(31))).isTrue();
  }

  @Test
  void booleansAndPrecedence() {
    assertThat(matches("online", REPORT)).isTrue();
    assertThat(matches("online", DRAFT)).isFalse();
    assertThat(matches("not online", DRAFT)).isTrue();
    assertThat(matches("hidden", REPORT)).isFalse();
    assertThat(matches("online = false or hidden", DRAFT)).isTrue();
    // and binds tighter: DRAFT is offline, yet the first alternative holds
    assertThat(matches("name = \"draft plan\" or name = \"x\" and online", DRAFT)).isTrue();
    assertThat(matches("(name = \"draft plan\" or name = \"x\") and online", DRAFT)).isFalse();
    assertThat(matches("availability > 0.9 and tags contains \"finance\"", REPORT)).isTrue();
    assertThat(matches("availability > 0.9 and tags contains \"finance\"", DRAFT)).isFalse();
  }

  @Test
  void absentTextEqualsOnlyNull() {
    assertThat(matches("origin = null and notes = null", REPORT)).isTrue();
    assertThat(matches("origin != \"eu\"", REPORT)).isTrue();
    assertThat(matches("origin contains \"\"", REPORT)).isFalse();
    assertThat(matches("url ~ \"http://127.0.0.1:*\"", REPORT)).isTrue();
  }

  @Test
  void nodes() {
    RegistryNode alpha = node("alpha", true, 0.99, Map.of("load", 0.3), 12, "eu", "gpu");
    RegistryNode beta = node("beta", false, null, Map.of(), 0);
    assertThat(Query.nodes("online and flows > 10 and tags contains \"gpu\"").matches(alpha, T0))
        .isTrue();
    assertThat(Query.nodes("health.load < 0.5").matches(alpha, T0)).isTrue();
    assertThat(Query.nodes("health.load < 0.5").matches(beta, T0))
        .as("an unreported figure is absent")
        .isFalse();
    assertThat(Query.nodes("health.load = null and not connected").matches(beta, T0)).isTrue();
    assertThat(
            Query.nodes("registered < \"2026-11-27T09:30:00Z\" and heartbeat_age <= 10")
                .matches(alpha, T0))
        .isTrue();
    assertThat(Query.nodes("latency < 20 and url contains \"alpha\"").matches(alpha, T0)).isTrue();
  }
}
