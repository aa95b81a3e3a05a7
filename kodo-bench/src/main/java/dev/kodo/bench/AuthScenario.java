package dev.kodo.bench;

import dev.kodo.auth.AdminBootstrap;
import dev.kodo.auth.AuthModule;
import dev.kodo.client.AuthClient;
import dev.kodo.client.RunDocument;
import dev.kodo.node.NodeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cost of auth (issue 10, scenario {@code auth}): two nodes in this JVM, each with its own
 * data, cluster and port — one started the way {@code koco serve} starts it (the node with the auth
 * provider, {@link AuthModule}, in its process, auth on), one with auth off as {@code --no-auth}
 * starts it — and the same two figures measured on both in the same run, the auth-off node being
 * the baseline:
 *
 * <ol>
 *   <li><b>launch → final throughput</b>: runs/s of {@link Noop} launched from 64 clients over
 *       keep-alive connections, each request with the operator's bearer token on the auth node
 *       (verified locally, docs/security.md#tokens), none on the other; the best of two rounds on
 *       each, alternating, after a warm-up of both. Target: auth keeps at least half the rate.
 *   <li><b>emit → SSE p99</b>: a run of {@link Emitter} at 1,000 events/s read live over {@code
 *       /stream} with the token vs. without. Target: at most 1.5 × the {@code --no-auth} p99 — a
 *       ratio, not milliseconds, so that the figure is about auth and not the machine.
 * </ol>
 *
 * <p>Before measuring, the scenario proves that auth is really on: a request without a token gets
 * 401, and a run launched with the token logged in through {@code POST /auth/login} is owned by
 * {@code user:admin}; otherwise it fails. The operator's password is generated here for this run
 * only and is never printed; the nodes' data is removed afterwards.
 */
final class AuthScenario {
  /** The subject a run launched by the operator {@code admin} is owned by (DESIGN §6). */
  static final String ADMIN_SUBJECT = "user:" + AdminBootstrap.ADMIN;

  private static final String LAUNCH = "{\"flow\":\"dev.kodo.bench.Noop\",\"inputs\":{}}";
  private static final int CONCURRENCY = 64;
  private static final int RATE = 1_000;

  private final boolean quick;
  private final Path dir;

  /** What the scenario proved about the auth node before measuring it. */
  record Checks(int statusWithoutToken, String owner) {}

  private Checks checks;

  AuthScenario(boolean quick, Path dir) {
    this.quick = quick;
    this.dir = dir;
  }

  /** The checks of the last {@link #run()}, or null before it. */
  Checks checks() {
    return checks;
  }

  List<Figure> run() throws Exception {
    Files.createDirectories(dir);
    String password = password();
    ConfigurableApplicationContext on = null;
    ConfigurableApplicationContext off = null;
    try {
      on = startWithAuth(dir.resolve("on"), password);
      off = startWithoutAuth(dir.resolve("off"));
      String onBase = base(on);
      String token = AuthClient.connect(onBase).login(AdminBootstrap.ADMIN, password).accessToken();
      Bench withAuth = new Bench(quick, on, dir.resolve("on"), token);
      Bench noAuth = new Bench(quick, off, dir.resolve("off"), null);
      checks = prove(onBase, withAuth);
      System.out.printf(
          Locale.ROOT,
          "auth: node with auth on at %s (auth provider in its process), node with --no-auth at %s;"
              + " without a token: %d; a launched run's owner: %s%n",
          onBase,
          base(off),
          checks.statusWithoutToken(),
          checks.owner());
      return List.of(launch(withAuth, noAuth), latency(withAuth, noAuth));
    } finally {
      if (off != null) off.close();
      if (on != null) on.close();
      delete(dir);
    }
  }

  /**
   * Fails unless auth is really on: GET and POST {@code /api/runs} without a token answer 401, and
   * a run launched with the token is owned by {@code user:admin}.
   */
  private static Checks prove(String base, Bench withAuth) {
    Load.send(Load.get(base + "/api/runs"), 401);
    Load.send(Load.post(base + "/api/runs", LAUNCH), 401);
    RunDocument run = withAuth.client().launch("dev.kodo.bench.Noop", Map.of());
    String owner = withAuth.store().run(run.fid()).orElseThrow().owner();
    if (!ADMIN_SUBJECT.equals(owner)) {
      throw new IllegalStateException(
          "run "
              + run.fid()
              + " launched with admin's token is owned by "
              + owner
              + ", not "
              + ADMIN_SUBJECT
              + ": auth is not on");
    }
    return new Checks(401, owner);
  }

  private Figure launch(Bench withAuth, Bench noAuth) throws InterruptedException {
    int runs = quick ? 500 : 5_000;
    withAuth.launchAndWait(runs / 5, CONCURRENCY, LAUNCH);
    noAuth.launchAndWait(runs / 5, CONCURRENCY, LAUNCH);
    double onBest = Double.MAX_VALUE;
    double offBest = Double.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      offBest = Math.min(offBest, noAuth.launchAndWait(runs, CONCURRENCY, LAUNCH));
      onBest = Math.min(onBest, withAuth.launchAndWait(runs, CONCURRENCY, LAUNCH));
    }
    double onRate = runs / onBest;
    double offRate = runs / offBest;
    System.out.printf(
        Locale.ROOT,
        "auth: %,d runs of Noop to final from %d clients, best of two: %.2f s with auth on"
            + " (%,.0f runs/s), %.2f s with --no-auth (%,.0f runs/s)%n",
        runs,
        CONCURRENCY,
        onBest,
        onRate,
        offBest,
        offRate);
    return Figure.ratioTarget(
        "launch → final throughput, auth on",
        onRate,
        "runs/s",
        offRate,
        "runs/s with --no-auth",
        true,
        0.50);
  }

  private Figure latency(Bench withAuth, Bench noAuth) {
    int seconds = quick ? 3 : 10;
    Histogram off = noAuth.sseLatency(seconds, RATE);
    Histogram on = withAuth.sseLatency(seconds, RATE);
    System.out.printf(
        Locale.ROOT,
        "auth: %,d events over SSE at %d/s with auth on: p50 %.2f ms, p99 %.2f ms;"
            + " %,d with --no-auth: p50 %.2f ms, p99 %.2f ms%n",
        on.getTotalCount(),
        RATE,
        Bench.ms(on, 50),
        Bench.ms(on, 99),
        off.getTotalCount(),
        Bench.ms(off, 50),
        Bench.ms(off, 99));
    return Figure.ratioTarget(
        "emit → SSE p99, auth on",
        Bench.ms(on, 99),
        "ms",
        Bench.ms(off, 99),
        "p99 ms with --no-auth",
        false,
        1.5);
  }

  /**
   * The node as {@code koco serve} composes it (kodo-cli {@code Servers}): the auth provider in the
   * node's process, its data beside the node's, its issuer the node's own URL + {@code /auth}; the
   * operator {@code admin} created on this first start with {@code password}.
   */
  private static ConfigurableApplicationContext startWithAuth(Path data, String password) {
    return NodeApplication.start(
        Map.of(
            "kodo.auth.provider.enabled",
            "true",
            "kodo.auth.provider.data",
            data.toString(),
            "kodo.auth.provider.admin-password",
            password),
        new Class<?>[] {NoopEndpoints.class, AuthModule.class},
        nodeArguments(data, "on"));
  }

  /** The same node with {@code --no-auth}: auth off, no provider. */
  private static ConfigurableApplicationContext startWithoutAuth(Path data) {
    String[] common = nodeArguments(data, "off");
    String[] args =
        Stream.concat(
                Stream.of(common),
                Stream.of("--kodo.auth.enabled=false", "--kodo.auth.provider.enabled=false"))
            .toArray(String[]::new);
    return NodeApplication.start(new Class<?>[] {NoopEndpoints.class}, args);
  }

  private static String[] nodeArguments(Path data, String which) {
    return new String[] {
      "--server.port=0",
      "--kodo.data=" + data,
      "--kodo.cluster.name=bench-auth-" + which + "-" + ProcessHandle.current().pid(),
      "--kodo.flows=dev.kodo.bench.Noop,dev.kodo.bench.Emitter",
      "--kodo.registry.enabled=false",
      "--logging.level.root=WARN"
    };
  }

  private static String base(ConfigurableApplicationContext node) {
    return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  /** A password for this run only: 24 random bytes, never printed. */
  private static String password() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
