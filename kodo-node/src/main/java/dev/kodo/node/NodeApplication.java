package dev.kodo.node;

import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.ClusterOptions;
import dev.kodo.cluster.ClusterSecret;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.RunEnvironment;
import dev.kodo.store.EventStore;
import dev.kodo.store.EventStores;
import dev.kodo.web.WebConfig;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.ClientToken;
import dev.kodo.web.security.LocalTokens;
import dev.kodo.worker.Worker;
import dev.kodo.worker.WorkerOptions;
import dev.kodo.worker.WorkerTelemetry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The node (docs/architecture.md#components): the HTTP service that offers flows, launches runs
 * onto the cluster, persists their events and streams them. {@link #start} runs it; {@code koco}
 * and the tests use it. It knows no other service: {@code koco serve} composes it with the
 * registry's Spring configuration in one process (kodo-cli's {@code Servers}, passing it as an
 * extra class to {@link #start}); the node's announcer then registers this node with the registry
 * it finds beside it.
 */
@SpringBootApplication
@Import(WebConfig.class)
@EnableConfigurationProperties(NodeProperties.class)
public class NodeApplication {
  private static final Logger log = LoggerFactory.getLogger(NodeApplication.class);

  /**
   * Starts a node with Spring Boot arguments such as {@code --server.port=0} or {@code
   * --kodo.data=/tmp/x}.
   */
  public static ConfigurableApplicationContext start(String... args) {
    return start(new Class<?>[0], args);
  }

  /**
   * Starts a node with extra Spring configuration classes (a benchmark's own endpoints, the
   * registry of {@code koco serve}).
   */
  public static ConfigurableApplicationContext start(Class<?>[] extra, String... args) {
    return start(Map.of(), extra, args);
  }

  /**
   * Starts a node whose settings fall back to {@code defaults} (e.g. {@code koco serve}'s {@code
   * kodo.flows=classpath:*}) where neither the arguments, nor {@code KODO_*} variables, nor a
   * configuration file set them.
   */
  public static ConfigurableApplicationContext start(
      Map<String, Object> defaults, Class<?>[] extra, String... args) {
    Class<?>[] sources = new Class<?>[extra.length + 1];
    sources[0] = NodeApplication.class;
    System.arraycopy(extra, 0, sources, 1, extra.length);
    SpringApplication app = new SpringApplication(sources);
    app.setAdditionalProfiles("kodo");
    app.setDefaultProperties(defaults);
    return app.run(args);
  }

  public static void main(String[] args) {
    start(args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  KodoCluster cluster(NodeProperties p) {
    var c = p.getCluster();
    ClusterSecret secret = ClusterSecret.forNode(c.getSecret(), p.getData());
    return KodoCluster.start(
        new ClusterOptions(c.getName(), c.getHost(), c.getPort(), c.getMembers(), secret));
  }

  @Bean(destroyMethod = "close")
  EventStore eventStore(NodeProperties p) {
    return EventStores.open(p.getStore().options(p.getData(), "kodo.db"));
  }

  @Bean
  FlowCatalog flowCatalog(NodeProperties p) {
    if (p.getFlows().isEmpty()) {
      log.warn(
          "this node offers no flows: name them in kodo.flows (in the kodo.yaml given with --config), in KODO_FLOWS,"
              + " or with koco node --flows: class names, .java or .yaml files, jars, directories, or classpath:* for every flow on the class path");
    }
    FlowCatalog catalog =
        FlowCatalog.load(p.getFlows(), Thread.currentThread().getContextClassLoader());
    logRefusals(catalog.refusals());
    return catalog;
  }

  /**
   * Logs, once each, the flow files the node does not offer and why (file, line and column; never a
   * secret: the messages name variables at most).
   */
  public static void logRefusals(List<FlowCatalog.Refusal> refusals) {
    for (FlowCatalog.Refusal r : refusals) {
      log.warn("not offering {}:\n{}", r.source(), r.message());
    }
  }

  /**
   * The node's own identity for its runs' calls to other nodes
   * (docs/security.md#the-node-calling-other-nodes): none with auth off, else the node client's
   * token, else one minted by the auth provider of this process ({@link LocalTokens}).
   */
  @Bean
  NodeIdentityToken nodeIdentityToken(
      NodeProperties p,
      AuthProperties auth,
      ClientToken client,
      ObjectProvider<LocalTokens> local,
      Clock clock) {
    return new NodeIdentityToken(
        auth.isEnabled(),
        client,
        () -> Optional.ofNullable(local.getIfAvailable()),
        p.getNode().getName(),
        clock);
  }

  /**
   * What every run on this node's worker sees: {@code kodo.secrets.*} over the process environment,
   * the engine settings {@code kodo.agents.*} (docs/configuration.md), and the node's own identity
   * for calls to other nodes.
   */
  @Bean
  RunEnvironment runEnvironment(ConfigurableEnvironment env, NodeIdentityToken identity) {
    return NodeRunEnvironment.of(env).withToken(identity);
  }

  /** The embedded worker; absent when {@code kodo.worker.enabled=false}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "kodo.worker.enabled", havingValue = "true", matchIfMissing = true)
  Worker embeddedWorker(
      NodeProperties p,
      Cluster cluster,
      FlowCatalog catalog,
      RunEnvironment environment,
      ObjectProvider<WorkerTelemetry> telemetry) {
    return Worker.start(
        cluster,
        catalog,
        new WorkerOptions(p.getNode().getName() + "-worker", p.getWorker().getCapacity()),
        environment,
        telemetry.getIfAvailable(() -> WorkerTelemetry.NONE));
  }
}
