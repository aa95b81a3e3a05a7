package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postgres scenario in quick mode against the PostgreSQL server on 127.0.0.1:5432, and its
 * skipped rows against a port where nothing listens. Asserts that the PostgreSQL node really wrote
 * to its own schema (dropped afterwards) and the figures' shape — SQLite as the baseline, issue
 * 12's targets — never the timings.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresScenarioIT {

  @Test
  void measuresPostgresBesideSqliteInASchemaOfItsOwnDroppedAfterwards(@TempDir Path dir)
      throws Exception {
    assumeThat(PostgresScenario.unreachable(PostgresScenario.URL))
        .as("PostgreSQL on 127.0.0.1:5432")
        .isNull();
    Path data = dir.resolve("postgres");
    PostgresScenario scenario = new PostgresScenario(true, data);

    List<Figure> figures = scenario.run();

    assertThat(scenario.schema()).matches("bench_[0-9a-f]{16}");
    // Warm-up and two rounds: 100 + 2 × 500 Noop runs (several events each) and Emitter runs of
    // 4,000 and 2 × 20,000 events (each plus its 4 own).
    assertThat(scenario.eventsInSchema())
        .as("what the PostgreSQL node wrote to its schema")
        .isGreaterThanOrEqualTo(1_100 + 4_004 + 2 * 20_004L);
    assertThat(PostgresScenario.schemaExists(PostgresScenario.URL, scenario.schema()))
        .as("the schema is dropped after the run")
        .isFalse();
    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly(PostgresScenario.LAUNCH_FIGURE, PostgresScenario.EVENTS_FIGURE);
    for (Figure f : figures) {
      assertThat(f.isSkipped()).as(f.name()).isFalse();
      assertThat(f.value()).as(f.name()).isPositive().isFinite();
      assertThat(f.baseline()).as(f.name()).isPositive().isFinite();
      assertThat(f.baselineName()).as(f.name()).endsWith("on SQLite");
    }
    assertThat(figures.get(0).target()).isEqualTo(1_000);
    assertThat(figures.get(1).target()).isEqualTo(50_000);
    assertThat(data).doesNotExist();
  }

  @Test
  void withoutPostgresBothRowsSaySkipped(@TempDir Path dir) throws Exception {
    int port = ScenarioNode.freePort(); // nothing listens there
    PostgresScenario scenario =
        new PostgresScenario(true, dir, "jdbc:postgresql://127.0.0.1:" + port + "/postgres");

    List<Figure> figures = scenario.run();

    assertThat(scenario.schema()).isNull();
    assertThat(figures)
        .extracting(Figure::row)
        .allSatisfy(row -> assertThat(row).endsWith("skipped (no PostgreSQL)"))
        .first()
        .asString()
        .startsWith(PostgresScenario.LAUNCH_FIGURE);
  }
}
