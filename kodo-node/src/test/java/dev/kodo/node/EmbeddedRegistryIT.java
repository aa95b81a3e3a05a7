package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Connect;
import dev.kodo.client.Heartbeat;
import dev.kodo.node.registry.LocalRegistry;
import dev.kodo.registry.RegistryModule;
import dev.kodo.registry.nodes.NodesInProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node that serves the registry itself ({@code koco serve}): the same port answers {@code /api}
 * and {@code /registry}, the node is registered and connected to it out of the box, and a reload of
 * its flows is announced at once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EmbeddedRegistryIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  @TempDir static Path tmp;
  private static ConfigurableApplicationContext node;
  private static String base;
  private static Path flowFile;

  @BeforeAll
  static void start() throws Exception {
    flowFile = write("1.0.0", "Greets people");
    // Composed as koco serve composes them (kodo-cli's Servers): the node, the registry's
    // configuration beside it, and the node's LocalRegistry over the registry.
    node =
        NodeApplication.start(
            Map.of("kodo.registry.data", "${kodo.data}", "kodo.registry.name", "${kodo.node.name}"),
            new Class<?>[] {RegistryModule.class, LocalRegistryOverRegistry.class},
            "--springdoc.packages-to-scan=dev.kodo.node," + RegistryModule.class.getPackageName(),
            "--server.port=0",
            "--kodo.data=" + tmp.resolve("data"),
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.node.name=solo",
            "--kodo.registry.enabled=true",
            "--kodo.flows=classpath:*," + flowFile,
            "--kodo.registry.probe-interval=500ms");
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  /** What kodo-cli's {@code RegistryBesideNode} provides under {@code koco serve}. */
  @Configuration(proxyBeanMethods = false)
  static class LocalRegistryOverRegistry {
    @Bean
    LocalRegistry localRegistry(NodesInProcess nodes) {
      return new LocalRegistry() {
        @Override
        public void register(String node) {
          nodes.register(node);
        }

        @Override
        public List<String> connect(Connect connect) {
          return nodes.connect(connect);
        }

        @Override
        public boolean heartbeat(Heartbeat heartbeat) {
          return nodes.heartbeat(heartbeat);
        }

        @Override
        public void disconnect(String node) {
          nodes.disconnect(node);
        }
      };
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static Path write(String release, String description) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("flows"));
    return Files.writeString(
        dir.resolve("Greeter.java"),
        """
        import dev.kodo.sdk.*;

        public class Greeter implements Flow {
          public FlowSpec spec() {
            return FlowSpec.builder("Greeter").release("%s").description("%s").tags("demo").build();
          }

          public Result run(FlowContext ctx) {
            return Result.markdown("hello");
          }
        }
        """
            .formatted(release, description));
  }

  @Test
  void theNodeIsListedOnlineWithItsFlowsOnItsOwnPortOutOfTheBox() throws Exception {
    int offered =
        json(NodeTestSupport.get(base, "/api/state")).path("counts").path("flows").asInt();
    assertThat(offered).as("flows the node offers").isPositive();
    List<JsonNode> flows =
        await(
            "the node's flows listed online",
            () -> {
              List<JsonNode> f = flows();
              return f.size() == offered && f.stream().allMatch(x -> x.path("online").asBoolean())
                  ? f
                  : null;
            });
    assertThat(flows)
        .allSatisfy(
            f -> {
              assertThat(f.path("node").asString()).isEqualTo("solo");
              assertThat(f.path("url").asString()).isEqualTo(base);
              assertThat(f.path("origin").isNull()).isTrue();
            });
    JsonNode solo =
        await(
            "the node probed",
            () -> {
              JsonNode n = json(NodeTestSupport.get(base, "/registry/nodes/solo"));
              return n.path("availability").isNumber() ? n : null;
            });
    assertThat(solo.path("availability").asDouble()).isEqualTo(1.0);
    JsonNode state = json(NodeTestSupport.get(base, "/registry/state"));
    assertThat(state.path("name").asString()).isEqualTo("solo");
    JsonNode link = json(NodeTestSupport.get(base, "/api/state")).path("registries").get(0);
    assertThat(link.path("url").asString()).isEqualTo(base);
    assertThat(link.path("connected").asBoolean()).isTrue();
    JsonNode api = json(NodeTestSupport.get(base, "/api/openapi"));
    assertThat(api.path("paths").propertyNames())
        .contains("/api/runs", "/registry/flows", "/registry/peers", "/api/flows/reload");
  }

  @Test
  void aReloadOfChangedFlowsIsAnnouncedAtOnceAndABrokenOneChangesNothing() throws Exception {
    await("Greeter listed", () -> greeter("1.0.0"));
    write("1.1.0", "Greets people warmly");
    HttpResponse<String> r =
        NodeTestSupport.post(base, "/api/flows/reload", "application/json", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("changed").toString()).contains("Greeter");
    JsonNode changed = await("the registry to show the new release", () -> greeter("1.1.0"));
    assertThat(changed.path("description").asString()).isEqualTo("Greets people warmly");
    assertThat(json(NodeTestSupport.get(base, "/api/flows/Greeter")).path("release").asString())
        .isEqualTo("1.1.0");

    Files.writeString(flowFile, "public class Greeter implements dev.kodo.sdk.Flow { nonsense }");
    HttpResponse<String> broken =
        NodeTestSupport.post(base, "/api/flows/reload", "application/json", "");
    assertThat(broken.statusCode()).as(broken.body()).isEqualTo(422);
    assertThat(broken.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(json(broken).path("detail").asString())
        .contains("Greeter.java")
        .contains("keeps offering");
    assertThat(json(NodeTestSupport.get(base, "/api/flows/Greeter")).path("release").asString())
        .isEqualTo("1.1.0");
    write("1.1.0", "Greets people warmly");
  }

  private static JsonNode greeter(String release) {
    for (JsonNode f : flows()) {
      if (f.path("path").asString().equals("Greeter")
          && f.path("release").asString().equals(release)) return f;
    }
    return null;
  }

  private static List<JsonNode> flows() {
    JsonNode page = json(NodeTestSupport.get(base, "/registry/flows?pp=1000"));
    List<JsonNode> out = new ArrayList<>();
    page.path("items").forEach(out::add);
    return out;
  }

  private static JsonNode json(HttpResponse<String> r) {
    assertThat(r.statusCode() / 100).as(r.body()).isIn(2, 4);
    return JSON.readTree(r.body());
  }
}
