package dev.kodo.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * The node's figures on PostgreSQL beside SQLite (issues 12 and 13, scenario {@code postgres}): two
 * nodes in this JVM, the same but for the store — one on SQLite in its data directory, one on the
 * PostgreSQL server at 127.0.0.1:5432 (user {@code postgres}, trust auth) in a schema made for this
 * run ({@code bench_<random>}) and dropped afterwards — both with {@code
 * kodo.store.durability=fsync} (the default). On each, after a warm-up, the best of two alternating
 * rounds of:
 *
 * <ol>
 *   <li><b>launch → final</b>: runs/s of {@link Noop} launched from 64 clients until all are done;
 *   <li><b>events persisted</b>: events/s of one run of {@link Emitter} emitting without pause.
 * </ol>
 *
 * Issue 12's targets on PostgreSQL: launch ≥ 1,000 runs/s, events ≥ 50,000/s. Without a PostgreSQL
 * server answering there, both rows say "skipped (no PostgreSQL)".
 */
final class PostgresScenario {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  static final String USER = "postgres";
  private static final String LAUNCH = "{\"flow\":\"dev.kodo.bench.Noop\",\"inputs\":{}}";
  private static final int CONCURRENCY = 64;
  static final String LAUNCH_FIGURE = "launch → final, PostgreSQL";
  static final String EVENTS_FIGURE = "events persisted, PostgreSQL";

  private final boolean quick;
  private final Path dir;
  private final String url;
  private String schema;
  private long eventsInSchema;

  PostgresScenario(boolean quick, Path dir) {
    this(quick, dir, URL);
  }

  /** The scenario against the PostgreSQL server at {@code url} (a JDBC URL, user postgres). */
  PostgresScenario(boolean quick, Path dir, String url) {
    this.quick = quick;
    this.dir = dir;
    this.url = url;
  }

  /** The schema the last {@link #run()} used (dropped by now), or null if it was skipped. */
  String schema() {
    return schema;
  }

  /** How many events the schema held just before it was dropped: what the node wrote there. */
  long eventsInSchema() {
    return eventsInSchema;
  }

  List<Figure> run() throws Exception {
    String unreachable = unreachable(url);
    if (unreachable != null) {
      System.out.printf(
          Locale.ROOT, "postgres: skipped, no PostgreSQL at %s: %s%n", url, unreachable);
      return List.of(
          Figure.skipped(LAUNCH_FIGURE, "no PostgreSQL"),
          Figure.skipped(EVENTS_FIGURE, "no PostgreSQL"));
    }
    schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    int runs = quick ? 500 : 3_000;
    int events = quick ? 20_000 : 100_000;
    try (ScenarioNode sqlite =
            ScenarioNode.start(
                dir.resolve("sqlite"),
                "sqlite",
                List.of(Noop.class.getName(), Emitter.class.getName()));
        ScenarioNode postgres =
            ScenarioNode.start(
                dir.resolve("postgres"),
                "postgres",
                List.of(Noop.class.getName(), Emitter.class.getName()),
                "--kodo.store.url=" + url,
                "--kodo.store.user=" + USER,
                "--kodo.store.schema=" + schema)) {
      Bench lite = sqlite.bench(quick);
      Bench pg = postgres.bench(quick);
      lite.launchAndWait(runs / 5, CONCURRENCY, LAUNCH);
      pg.launchAndWait(runs / 5, CONCURRENCY, LAUNCH);
      lite.emitAndWait(events / 5);
      pg.emitAndWait(events / 5);
      double liteLaunch = Double.MAX_VALUE;
      double pgLaunch = Double.MAX_VALUE;
      double liteEvents = Double.MAX_VALUE;
      double pgEvents = Double.MAX_VALUE;
      for (int i = 0; i < 2; i++) {
        liteLaunch = Math.min(liteLaunch, lite.launchAndWait(runs, CONCURRENCY, LAUNCH));
        pgLaunch = Math.min(pgLaunch, pg.launchAndWait(runs, CONCURRENCY, LAUNCH));
        liteEvents = Math.min(liteEvents, lite.emitAndWait(events));
        pgEvents = Math.min(pgEvents, pg.emitAndWait(events));
      }
      eventsInSchema = countEvents(url, schema);
      // An Emitter run persists its events plus inputs, version, flow and final.
      long persisted = events + 4L;
      System.out.printf(
          Locale.ROOT,
          "postgres: schema %s at %s; best of two: %,d runs of Noop to final from %d clients in"
              + " %.2f s on PostgreSQL (%,.0f runs/s), %.2f s on SQLite (%,.0f runs/s); %,d events of"
              + " one run persisted in %.2f s on PostgreSQL (%,.0f/s), %.2f s on SQLite (%,.0f/s)%n",
          schema,
          url,
          runs,
          CONCURRENCY,
          pgLaunch,
          runs / pgLaunch,
          liteLaunch,
          runs / liteLaunch,
          persisted,
          pgEvents,
          persisted / pgEvents,
          liteEvents,
          persisted / liteEvents);
      return List.of(
          new Figure(
              LAUNCH_FIGURE,
              runs / pgLaunch,
              "runs/s",
              runs / liteLaunch,
              "runs/s on SQLite",
              true,
              1_000),
          new Figure(
              EVENTS_FIGURE,
              persisted / pgEvents,
              "events/s",
              persisted / liteEvents,
              "events/s on SQLite",
              true,
              50_000));
    } finally {
      dropSchema(url, schema);
      ScenarioNode.delete(dir);
    }
  }

  /** Why no PostgreSQL answers at {@code url}, or null if one does. */
  static String unreachable(String url) {
    try (Connection c = connect(url)) {
      return c.isValid(3) ? null : "the connection is not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** Whether {@code schema} exists on the server at {@code url}. */
  static boolean schemaExists(String url, String schema) throws SQLException {
    try (Connection c = connect(url);
        var ps =
            c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static long countEvents(String url, String schema) throws SQLException {
    try (Connection c = connect(url);
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM " + checked(schema) + ".events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String checked(String schema) {
    if (!schema.matches("bench_[0-9a-f]{16}")) {
      throw new IllegalArgumentException("not a bench schema: " + schema);
    }
    return schema;
  }

  private static void dropSchema(String url, String schema) throws SQLException {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + checked(schema) + " CASCADE");
    }
  }

  private static Connection connect(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("connectTimeout", "3");
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection(url, p);
  }
}
