package dev.kodo.ui.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.registry.core.HealthSample;
import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.QuerySyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry pages' view models: ages, percentages, the health line, launch links, errors. */
class RegistryViewsTest {
  static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void agesAreInTheirLargestWholeUnit() {
    assertThat(NodeRow.age(null, NOW)).isEqualTo("never");
    assertThat(NodeRow.age(NOW.minusSeconds(12), NOW)).isEqualTo("12 s ago");
    assertThat(NodeRow.age(NOW.minusSeconds(59), NOW)).isEqualTo("59 s ago");
    assertThat(NodeRow.age(NOW.minusSeconds(60), NOW)).isEqualTo("1 min ago");
    assertThat(NodeRow.age(NOW.minusSeconds(7200 + 5), NOW)).isEqualTo("2 h ago");
    assertThat(NodeRow.age(NOW.minusSeconds(3 * 86_400), NOW)).isEqualTo("3 d ago");
    // a clock a little ahead of this one's is no negative age
    assertThat(NodeRow.age(NOW.plusSeconds(3), NOW)).isEqualTo("0 s ago");
  }

  @Test
  void availabilityIsAPercentage() {
    assertThat(NodeRow.percent(null)).isEqualTo("—");
    assertThat(NodeRow.percent(1.0)).isEqualTo("100 %");
    assertThat(NodeRow.percent(0.995)).isEqualTo("99.5 %");
    assertThat(NodeRow.percent(0.0)).isEqualTo("0 %");
  }

  @Test
  void theHealthLineSpansTheWidthHighWhenAvailable() {
    assertThat(Sparkline.of(List.of()).empty()).isTrue();
    Sparkline line =
        Sparkline.of(List.of(sample(1.0, true), sample(null, false), sample(0.5, true)));
    assertThat(line.points()).isEqualTo("0.0,1.0 60.0,23.0 120.0,12.0");
    assertThat(line.label()).isEqualTo("3 samples, on average 50 % available");
    // never probed: online is up, offline is down
    assertThat(Sparkline.of(List.of(sample(null, true), sample(null, false))).points())
        .isEqualTo("0.0,1.0 120.0,23.0");
  }

  @Test
  void oneSampleIsAFlatLine() {
    Sparkline line = Sparkline.of(List.of(sample(1.0, true)));
    assertThat(line.points()).isEqualTo("0.0,1.0 120.0,1.0");
    assertThat(line.label()).isEqualTo("1 sample, on average 100 % available");
  }

  @Test
  void launchLinksGoToTheNodesLaunchPageAndOnlyOverHttp() {
    assertThat(FlowRow.launch("http://127.0.0.1:3370", "reports/q"))
        .isEqualTo("http://127.0.0.1:3370/launch?flow=reports/q");
    assertThat(FlowRow.launch("https://n.example.org/", "a b&c=d"))
        .isEqualTo("https://n.example.org/launch?flow=a%20b%26c%3Dd");
    assertThat(FlowRow.launch("javascript:alert(1)", "x")).isNull();
    assertThat(FlowRow.launch("http:/no-host", "x")).isNull();
    assertThat(FlowRow.launch("not a url", "x")).isNull();
    assertThat(FlowRow.launch(null, "x")).isNull();
  }

  @Test
  void aQueryErrorNamesItsColumn() {
    QueryError e = QueryError.of(new QuerySyntaxException(17, "expected a value after '>'"));
    assertThat(e.column()).isEqualTo(17);
    assertThat(e.text()).isEqualTo("query, column 17: expected a value after '>'");
    QueryError other = QueryError.of(new InvalidRequestException("by", "unknown sort key 'x'"));
    assertThat(other.column()).isZero();
    assertThat(other.text()).isEqualTo("by: unknown sort key 'x'");
  }

  @Test
  void typedTagsAreAListAndNoneTypedKeepsTheNodesOwn() {
    assertThat(RegistryAdminPagesController.constraints(" eu , gpu,, ", true, " ").tags())
        .containsExactly("eu", "gpu");
    assertThat(RegistryAdminPagesController.constraints("", false, "").tags()).isNull();
    assertThat(RegistryAdminPagesController.constraints("", false, " note ").notes())
        .isEqualTo("note");
  }

  private static HealthSample sample(Double availability, boolean online) {
    return new HealthSample("n", NOW, online, Map.of(), availability, null);
  }
}
