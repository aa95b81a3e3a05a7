package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.TokenSupplier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deployment of docs/deploy.md, without containers: the Kodo services of {@code
 * deploy/compose.yaml} (auth provider, registry, two nodes without a worker, two workers), each a
 * JVM of its own started with the command, configuration files and environment Compose gives it,
 * against PostgreSQL on 127.0.0.1:5432 (a fresh database, dropped after). What differs from Compose
 * is only what docs/deploy.md#the-topology-test lists: each service has a loopback address of its
 * own (127.0.0.2 …; the JVMs resolve the services' names through a hosts file, PostgreSQL's to
 * 127.0.0.1) and binds to it instead of 0.0.0.0, the database's name and user, the registry's
 * allowed targets (loopback instead of private), the data volumes (directories under {@code
 * target/it-data/<database>}, beside each service's log) and the secrets of {@code .env} (made
 * here). A broken file therefore breaks this test.
 *
 * <p>Two independent nodes on one cluster and one database: each launches runs, the workers execute
 * them, each reads the other's runs from the database, the registry lists both online.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeployTopologyIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FLOW = "dev.kodo.examples.ResearchSteps";
  private static final int RUNS_PER_NODE = 12;

  /** Each service's loopback address: ports stay those of the files. */
  private static final Map<String, String> ADDRESSES =
      Map.of(
          "auth", "127.0.0.2",
          "registry", "127.0.0.3",
          "node-a", "127.0.0.4",
          "node-b", "127.0.0.5",
          "worker-1", "127.0.0.6",
          "worker-2", "127.0.0.7");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<KocoProcess> processes = new ArrayList<>();
  private final Map<String, KocoProcess> started = new LinkedHashMap<>();
  private final Map<String, String> dotEnv = new LinkedHashMap<>();
  private String database;
  private ComposeFile compose;
  private Path dir;
  private Path hosts;

  @AfterEach
  void stop() throws Exception {
    for (KocoProcess p : processes.reversed()) {
      p.close();
    }
    if (database != null) {
      try (Connection c = postgres();
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
    http.close();
  }

  @Test
  void theComposeTopologyRunsAsSeparateProcesses() throws Exception {
    compose = ComposeFile.read(DeployConfigTest.deployDir());
    database = "kodo_deploy_" + HexFormat.of().formatHex(random(6));
    // kept after the test: each service's log is <service>.log here
    dir = Path.of("target", "it-data", database).toAbsolutePath();
    Files.createDirectories(dir);
    try (Connection c = postgres();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    hosts = dir.resolve("hosts");
    StringBuilder lines = new StringBuilder("127.0.0.1 localhost postgres\n");
    ADDRESSES.forEach((name, ip) -> lines.append(ip).append(' ').append(name).append('\n'));
    Files.writeString(hosts, lines);
    // .env, as docs/deploy.md#secrets makes it (the client secrets come once the clients exist)
    dotEnv.put("POSTGRES_PASSWORD", HexFormat.of().formatHex(random(16)));
    dotEnv.put("KODO_CLUSTER_SECRET", HexFormat.of().formatHex(random(32)));
    dotEnv.put("KODO_ADMIN_PASSWORD", HexFormat.of().formatHex(random(12)));
    dotEnv.put("KODO_SCRAPE_TOKEN", HexFormat.of().formatHex(random(32)));

    // 1. the auth provider (and the registry, which needs it only for tokens), then the clients
    start("auth");
    start("registry");
    String auth = "http://" + ADDRESSES.get("auth") + ":3372";
    awaitOk("auth", auth + "/auth/.well-known/openid-configuration", null);
    JsonNode discovery = get(auth + "/auth/.well-known/openid-configuration", null);
    assertThat(discovery.path("issuer").asString()).isEqualTo("http://auth:3372/auth");
    String token = login(auth);
    for (String service : List.of("node-a", "node-b", "worker-1", "worker-2")) {
      addClient(service, auth, token);
    }

    // 2. the registry, told of the two nodes
    String registry = "http://" + ADDRESSES.get("registry") + ":3371";
    awaitOk("registry", registry + "/api/actuator/health", null);
    for (String node : List.of("node-a", "node-b")) {
      Cli registered = Cli.run("register", node, "--registry", registry, "--token", token);
      assertThat(registered.exitCode()).as(registered.err()).isEqualTo(Exit.OK);
    }

    // 3. two nodes without workers, one cluster, one database
    start("node-a");
    start("node-b");
    String a = "http://" + ADDRESSES.get("node-a") + ":3370";
    String b = "http://" + ADDRESSES.get("node-b") + ":3370";
    awaitOk("node-a", a + "/api/actuator/health", null);
    awaitOk("node-b", b + "/api/actuator/health", null);
    TokenSupplier bearer = TokenSupplier.fixed(token, "the admin's token");
    NodeClient nodeA = NodeClient.connect(a, bearer);
    NodeClient nodeB = NodeClient.connect(b, bearer);
    assertThat(nodeA.state().path("workers").size()).as("node-a runs no worker").isZero();

    // 4. two workers joining both nodes
    start("worker-1");
    start("worker-2");
    for (NodeClient node : List.of(nodeA, nodeB)) {
      ScaleOut.await(
          "both workers in a node's state",
          90,
          () -> {
            for (KocoProcess p : processes) {
              if (!p.process().isAlive()) {
                throw new AssertionError("a process exited:\n" + p.output());
              }
            }
            List<String> names = new ArrayList<>();
            node.state().path("workers").forEach(w -> names.add(w.path("name").asString()));
            return names.containsAll(List.of("worker-1", "worker-2")) ? names : null;
          });
    }

    // 5. runs launched on each node, executed by both workers
    List<String> onA = new ArrayList<>();
    List<String> onB = new ArrayList<>();
    Map<String, Integer> busiest = new ConcurrentHashMap<>();
    for (int i = 0; i < RUNS_PER_NODE; i++) {
      Map<String, Object> inputs = Map.of("topic", "tides " + i, "steps", 4, "pause", 400);
      onA.add(nodeA.launch(FLOW, inputs).fid());
      onB.add(nodeB.launch(FLOW, inputs).fid());
    }
    List<String> all = new ArrayList<>(onA);
    all.addAll(onB);
    ScaleOut.await(
        "every run to end",
        90,
        () -> {
          nodeA
              .state()
              .path("workers")
              .forEach(
                  w -> busiest.merge(w.path("name").asString(), w.path("load").asInt(), Math::max));
          for (String fid : onA) {
            if (!nodeA.run(fid).state().finished()) return null;
          }
          for (String fid : onB) {
            if (!nodeB.run(fid).state().finished()) return null;
          }
          return true;
        });
    for (String fid : onA) {
      assertThat(nodeA.run(fid).state()).as("run %s of node-a", fid).isEqualTo(RunState.DONE);
    }
    for (String fid : onB) {
      assertThat(nodeB.run(fid).state()).as("run %s of node-b", fid).isEqualTo(RunState.DONE);
    }
    assertThat(busiest)
        .as("the most runs each worker held at once")
        .containsKeys("worker-1", "worker-2");
    assertThat(busiest.get("worker-1")).as("worker-1 took runs").isPositive();
    assertThat(busiest.get("worker-2")).as("worker-2 took runs").isPositive();

    // 5b. Prometheus scrapes workers and nodes with the scrape token of .env
    String scrape = dotEnv.get("KODO_SCRAPE_TOKEN");
    for (String worker : List.of("worker-1", "worker-2")) {
      HttpResponse<String> m =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + ADDRESSES.get(worker) + ":9464/metrics"))
                  .header("Authorization", "Bearer " + scrape)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(m.statusCode()).as(worker + "'s metrics").isEqualTo(200);
      assertThat(m.body()).contains("kodo_worker_runs_ended_total{flow=\"" + FLOW + "\"}");
    }
    HttpResponse<String> nodeMetrics =
        http.send(
            HttpRequest.newBuilder(URI.create(a + "/api/actuator/prometheus"))
                .header("Authorization", "Bearer " + scrape)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(nodeMetrics.statusCode()).as("node-a's metrics").isEqualTo(200);
    assertThat(nodeMetrics.body()).contains("kodo_launches_total");

    // 6. each node reads the other's runs from the shared database
    RunDocument ofA = nodeB.run(onA.getFirst());
    assertThat(ofA.state()).isEqualTo(RunState.DONE);
    assertThat(ofA.flow()).isEqualTo(FLOW);
    assertThat(ofA.result()).isNotNull();
    RunDocument ofB = nodeA.run(onB.getFirst());
    assertThat(ofB.state()).isEqualTo(RunState.DONE);
    assertThat(nodeA.events(onB.getFirst(), 0, 1000).items().getLast().type()).isEqualTo("final");

    // 7. the registry lists both nodes online, with their flows
    for (String node : List.of("node-a", "node-b")) {
      JsonNode n =
          ScaleOut.await(
              node + " online in the registry",
              60,
              () -> {
                JsonNode r = getOrNull(registry + "/registry/nodes/" + node, token);
                return r != null && r.path("online").asBoolean() ? r : null;
              });
      assertThat(n.path("url").asString()).isEqualTo("http://" + node + ":3370");
    }
    List<String> offering = new ArrayList<>();
    get(registry + "/registry/flows?pp=1000", token)
        .path("items")
        .forEach(
            f -> {
              if (f.path("path").asString().equals(FLOW)) offering.add(f.path("node").asString());
            });
    assertThat(offering)
        .as("the nodes announcing " + FLOW)
        .containsExactlyInAnyOrder("node-a", "node-b");
  }

  /** Starts {@code service} as Compose would, with the substitutions of docs/deploy.md. */
  private void start(String service) throws Exception {
    ComposeFile.Service s = compose.service(service);
    Map<String, String> env = new LinkedHashMap<>(compose.environment(s, dotEnv::get));
    Properties config = compose.config(s);
    boolean worker = s.command().getFirst().equals("worker");
    if (!worker) {
      assertThat(config.getProperty("server.address")).as(service).isEqualTo("0.0.0.0");
      env.put("SERVER_ADDRESS", ADDRESSES.get(service));
    }
    for (String key : config.stringPropertyNames()) {
      if (key.endsWith("store.url")) {
        String url = config.getProperty(key);
        assertThat(url).as(service + " " + key).startsWith("jdbc:postgresql://postgres:5432/");
        env.put(envName(key), "jdbc:postgresql://postgres:5432/" + database);
        env.put(envName(key.replace(".url", ".user")), "postgres");
      }
    }
    if (service.equals("registry")) {
      assertThat(config.getProperty("kodo.registry.allowed-targets")).isEqualTo("private");
      env.put("KODO_REGISTRY_ALLOWED_TARGETS", "loopback");
    }
    List<String> command = compose.command(s, dir.resolve("volumes").resolve(service));
    KocoProcess p =
        TestKoco.start(
            dir.resolve(service + ".log"),
            env,
            List.of("-Djdk.net.hosts.file=" + hosts, "-Xmx320m"),
            command.toArray(String[]::new));
    processes.add(p);
    started.put(service, p);
  }

  /** {@code kodo.store.url} → {@code KODO_STORE_URL}, as Spring Boot binds variables. */
  private static String envName(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * {@code koco client add} for the client a service uses (its {@code kodo.auth.client-id} or
   * {@code KODO_AUTH_CLIENT_ID}), its secret put where compose.yaml takes it from {@code .env}.
   */
  private void addClient(String service, String auth, String token) throws Exception {
    ComposeFile.Service s = compose.service(service);
    String id = compose.config(s).getProperty("kodo.auth.client-id");
    if (id == null) {
      id = compose.environment(s, secret -> "not needed here").get("KODO_AUTH_CLIENT_ID");
    }
    assertThat(id).as(service + "'s client id").isEqualTo(service);
    String kind = s.command().getFirst().equals("node") ? "node" : "worker";
    Cli added =
        Cli.run("client", "add", id, "--kind", kind, "--url", auth, "--token", token, "--json");
    assertThat(added.exitCode()).as(added.err()).isEqualTo(Exit.OK);
    String secret = JSON.readTree(added.out()).path("client_secret").asString();
    Matcher m =
        Pattern.compile("^\\$\\{([A-Z0-9_]+)")
            .matcher(s.environment().getOrDefault("KODO_AUTH_CLIENT_SECRET", ""));
    assertThat(m.find()).as(service + " takes KODO_AUTH_CLIENT_SECRET from .env").isTrue();
    dotEnv.put(m.group(1), secret);
  }

  private String login(String auth) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(auth + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of(
                                "username",
                                "admin",
                                "password",
                                dotEnv.get("KODO_ADMIN_PASSWORD")))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("access_token").asString();
  }

  /** Waits until {@code url} answers 200, failing with the service's log if it exits. */
  private void awaitOk(String service, String url, String token) throws Exception {
    KocoProcess p = started.get(service);
    ScaleOut.await(
        service + " to answer " + url,
        120,
        () -> {
          if (!p.process().isAlive()) {
            throw new AssertionError(
                service + " exited with " + p.process().exitValue() + ":\n" + p.output());
          }
          return getOrNull(url, token);
        });
  }

  private JsonNode get(String url, String token) {
    JsonNode r = getOrNull(url, token);
    assertThat(r).as("GET " + url).isNotNull();
    return r;
  }

  private JsonNode getOrNull(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) b.header("Authorization", "Bearer " + token);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Connection postgres() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
