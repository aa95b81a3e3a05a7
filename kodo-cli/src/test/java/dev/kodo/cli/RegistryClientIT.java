package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kodo.client.ListOptions;
import dev.kodo.client.NodeException;
import dev.kodo.client.Page;
import dev.kodo.client.Problem;
import dev.kodo.client.RegistryClient;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.client.RegistryState;
import dev.kodo.registry.RegistryApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link RegistryClient} against a real registry on a loopback port. It lives in kodo-cli's tests
 * because kodo-client cannot depend on the registry service, which depends on it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryClientIT {
  @TempDir static Path data;
  static ConfigurableApplicationContext context;
  static RegistryClient registry;

  @BeforeAll
  static void start() throws Exception {
    context =
        RegistryApplication.start(
            "--server.port=0",
            "--kodo.registry.data=" + data,
            "--kodo.registry.name=client-it",
            "--kodo.auth.enabled=false",
            "--kodo.registry.heartbeat-timeout=120s",
            "--spring.main.log-startup-info=false",
            "--logging.level.root=WARN");
    registry =
        RegistryClient.connect(
            "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/");
    registry.register("alpha");
    registry.register("beta");
    connect(
        "alpha",
        "http://127.0.0.1:3370",
        """
        [{"path":"report.yaml","name":"Quarterly report","description":"Writes a finance report","author":"Ann",
          "organization":"Acme","release":"1.2.0","tags":["finance","reports"]},
         {"path":"a/hello world.yaml","name":"Hello","release":"0.1.0","tags":["demo"]}]""");
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  private static void connect(String node, String url, String flows)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/registry/connect"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"node\":\""
                                + node
                                + "\",\"url\":\""
                                + url
                                + "\",\"flows\":"
                                + flows
                                + "}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void stateCountsNodesAndFlows() {
    RegistryState state = registry.state();

    assertThat(state.name()).isEqualTo("client-it");
    assertThat(state.status()).isEqualTo("ok");
    assertThat(state.nodes()).isGreaterThanOrEqualTo(2);
    assertThat(state.flows()).isGreaterThanOrEqualTo(2);
    assertThat(state.heartbeatTimeout()).isEqualTo(120);
  }

  @Test
  void nodesAndOneNode() {
    Page<RegistryNode> nodes =
        registry.nodes(ListOptions.all().withQuery("name in [\"alpha\", \"beta\"]"));
    assertThat(nodes.items()).extracting(RegistryNode::name).containsExactly("alpha", "beta");
    RegistryNode alpha = nodes.items().getFirst();
    assertThat(alpha.online()).isTrue();
    assertThat(alpha.connected()).isTrue();
    assertThat(alpha.url()).isEqualTo("http://127.0.0.1:3370");
    assertThat(alpha.flows()).isEqualTo(2);
    assertThat(alpha.registered()).isNotNull();
    assertThat(alpha.heartbeat()).isNotNull();
    assertThat(nodes.items().get(1).online()).isFalse();
    assertThat(nodes.items().get(1).url()).isNull();

    assertThat(registry.node("beta").name()).isEqualTo("beta");
    NodeException unknown = catchThrowableOfType(NodeException.class, () -> registry.node("ghost"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.problem().detail()).isEqualTo("no node 'ghost'");
  }

  @Test
  void flowsWithSearchQueryPagingAndOrder() {
    Page<RegistryFlow> all = registry.flows(ListOptions.all().withQuery("node = \"alpha\""));
    assertThat(all.items())
        .extracting(RegistryFlow::path)
        .containsExactly("a/hello world.yaml", "report.yaml");
    RegistryFlow report = all.items().get(1);
    assertThat(report.node()).isEqualTo("alpha");
    assertThat(report.name()).isEqualTo("Quarterly report");
    assertThat(report.release()).isEqualTo("1.2.0");
    assertThat(report.tags()).containsExactly("finance", "reports");
    assertThat(report.url()).isEqualTo("http://127.0.0.1:3370");
    assertThat(report.online()).isTrue();
    assertThat(report.availability()).isNull();

    assertThat(registry.flows(ListOptions.all().withSearch("hello")).items())
        .extracting(RegistryFlow::path)
        .containsExactly("a/hello world.yaml");
    assertThat(registry.flows(ListOptions.all().withQuery("path = \"a/hello world.yaml\"")).items())
        .extracting(RegistryFlow::name)
        .containsExactly("Hello");
    assertThat(
            registry
                .flows(
                    ListOptions.all()
                        .withQuery("tags contains \"finance\" and release >= \"1.0.0\""))
                .items())
        .extracting(RegistryFlow::path)
        .containsExactly("report.yaml");
    Page<RegistryFlow> second =
        registry.flows(ListOptions.all().withBy("name desc").withPerPage(1).withPage(1));
    assertThat(second.p()).isEqualTo(1);
    assertThat(second.pp()).isEqualTo(1);
    assertThat(second.items()).extracting(RegistryFlow::name).containsExactly("Hello");
  }

  @Test
  void aMalformedQueryIsA400NamingTheColumn() {
    NodeException e =
        catchThrowableOfType(
            NodeException.class, () -> registry.flows(ListOptions.all().withQuery("name = ")));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.retryable()).isFalse();
    assertThat(e.problem().detail()).startsWith("invalid parameter 'query' at column 8: ");
    assertThat(e.problem().errors()).extracting(Problem.FieldError::field).containsExactly("query");
  }

  @Test
  void registerAndUnregister() {
    RegistryNode gamma = registry.register("gamma");
    assertThat(gamma.name()).isEqualTo("gamma");
    assertThat(gamma.online()).isFalse();
    assertThat(registry.register("gamma").name()).isEqualTo("gamma");

    registry.unregister("gamma");

    assertThat(catchThrowableOfType(NodeException.class, () -> registry.node("gamma")).status())
        .isEqualTo(404);
    NodeException again =
        catchThrowableOfType(NodeException.class, () -> registry.unregister("gamma"));
    assertThat(again.status()).isEqualTo(404);
    assertThat(again).hasMessage("404 Node not found: no node 'gamma'");
    NodeException bad =
        catchThrowableOfType(NodeException.class, () -> registry.register("bad name!"));
    assertThat(bad.status()).isEqualTo(400);
  }
}
