package dev.kodo.cli;

import dev.kodo.auth.AuthApplication;
import dev.kodo.auth.AuthModule;
import dev.kodo.auth.AuthProviderProperties;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.node.NodeApplication;
import dev.kodo.node.NodeProperties;
import dev.kodo.registry.RegistryApplication;
import dev.kodo.registry.RegistryModule;
import dev.kodo.registry.RegistryProperties;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.RegistryIndex;
import dev.kodo.ui.UiModule;
import dev.kodo.ui.registry.RegistryUiAlone;
import dev.kodo.ui.registry.RegistryUiModule;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * Starts a node or a registry through Spring Boot, says where it is, and waits until it is shut
 * down: by Ctrl-C (Spring's shutdown hook closes it) or, when embedded, by interrupting the waiting
 * thread, which closes it too. The only class of {@code koco} that touches Spring, so that Spring
 * is loaded when a server command runs, never when {@code koco} merely parses its arguments.
 */
final class Servers {
  private Servers() {}

  /**
   * The composition root of a node process: the node and the registry's Spring configuration
   * ({@link RegistryModule}), which stays off unless {@code kodo.registry.enabled} is true ({@code
   * koco serve} sets it), and {@link RegistryBesideNode}, which then gives the node its {@code
   * LocalRegistry}. Neither service knows the other; when both run, the registry keeps its data
   * beside the node's, is named after the node, and the node's announcer registers the node with
   * it. These are defaults: options, {@code KODO_*} variables and {@code --config} override them.
   */
  private static final Map<String, Object> REGISTRY_BESIDE_NODE =
      Map.of(
          "kodo.registry.enabled", "false",
          "kodo.registry.data", "${kodo.data}",
          "kodo.registry.name", "${kodo.node.name:local}");

  /**
   * The auth provider's defaults in a node process ({@link AuthModule}): off unless {@code koco
   * serve} turns it on; then it keeps its data beside the node's, its issuer is the node's own URL
   * + {@code /auth} (resolved once the port is known; {@code kodo.auth.issuer} overrides it), and
   * the first start's admin password comes from {@code KODO_ADMIN_PASSWORD}
   * (docs/security.md#auth-provider); the first start also grants the node its own flows ({@link
   * AuthBesideNode}).
   */
  private static final Map<String, Object> AUTH_BESIDE_NODE =
      Map.of(
          "kodo.auth.provider.enabled", "false",
          "kodo.auth.provider.data", "${kodo.data}",
          "kodo.auth.provider.admin-password", "${KODO_ADMIN_PASSWORD:}");

  /**
   * A node: {@code <what> ready at <url> — data <dir>, <n> flows (…)}; {@code defaults} are the
   * settings that nothing else (options, {@code KODO_*} variables, {@code --config}) sets.
   */
  static int node(
      String what, Map<String, Object> defaults, List<String> springArgs, PrintWriter out) {
    Map<String, Object> all = new HashMap<>(REGISTRY_BESIDE_NODE);
    all.putAll(AUTH_BESIDE_NODE);
    all.putAll(defaults);
    List<String> args = new ArrayList<>(springArgs);
    // Set as an argument: the node's own property file names only its package.
    args.add(
        "--springdoc.packages-to-scan="
            + NodeApplication.class.getPackageName()
            + ","
            + RegistryModule.class.getPackageName());
    return serve(
        what,
        () ->
            NodeApplication.start(
                all,
                new Class<?>[] {
                  RegistryModule.class,
                  RegistryBesideNode.class,
                  AuthModule.class,
                  AuthBesideNode.class,
                  UiModule.class,
                  RegistryUiModule.class
                },
                args.toArray(String[]::new)),
        context -> {
          int flows = context.getBean(FlowCatalog.class).size();
          return "data "
              + context.getBean(NodeProperties.class).getData().toAbsolutePath().normalize()
              + ", "
              + flows
              + " flow"
              + (flows == 1 ? "" : "s");
        },
        out);
  }

  /** A registry alone: {@code <what> ready at <url> — data <dir>, <n> nodes, <m> flows (…)}. */
  static int registry(String what, List<String> springArgs, PrintWriter out) {
    return serve(
        what,
        () ->
            RegistryApplication.start(
                new Class<?>[] {RegistryUiAlone.class}, springArgs.toArray(String[]::new)),
        context -> {
          RegistryIndex.Counts counts = context.getBean(Registry.class).index().counts();
          return "data "
              + context.getBean(RegistryProperties.class).getData().toAbsolutePath().normalize()
              + ", "
              + counts.nodes()
              + " node"
              + (counts.nodes() == 1 ? "" : "s")
              + ", "
              + counts.flows()
              + " flow"
              + (counts.flows() == 1 ? "" : "s");
        },
        out);
  }

  /** The auth provider alone: {@code <what> ready at <url> — data <dir>}. */
  static int auth(String what, List<String> springArgs, PrintWriter out) {
    return serve(
        what,
        () -> AuthApplication.start(springArgs.toArray(String[]::new)),
        context ->
            "data "
                + context
                    .getBean(AuthProviderProperties.class)
                    .getData()
                    .toAbsolutePath()
                    .normalize(),
        out);
  }

  private static int serve(
      String what,
      Supplier<ConfigurableApplicationContext> start,
      Function<ConfigurableApplicationContext, String> details,
      PrintWriter out) {
    long begin = System.nanoTime();
    ConfigurableApplicationContext context;
    try {
      context = start.get();
    } catch (RuntimeException e) {
      throw new CliException(Exit.FAILED, what + " did not start: " + rootCause(e));
    }
    CountDownLatch closed = new CountDownLatch(1);
    context.addApplicationListener(
        (ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
    Environment env = context.getEnvironment();
    String address = env.getProperty("server.address", "127.0.0.1");
    String url =
        "http://"
            + (address.contains(":") ? "[" + address + "]" : address)
            + ":"
            + env.getProperty("local.server.port");
    LocalOperatorToken operator;
    try {
      operator = LocalOperatorToken.keep(context, url);
    } catch (RuntimeException e) {
      context.close();
      throw new CliException(
          Exit.FAILED, what + " could not write the local operator's token: " + rootCause(e));
    }
    out.printf(
        Locale.ROOT,
        "%s ready at %s — %s (started in %.1f s; Ctrl-C stops it)%n",
        what,
        url,
        details.apply(context),
        (System.nanoTime() - begin) / 1e9);
    out.flush();
    try {
      if (context.isActive()) {
        closed.await();
      }
    } catch (InterruptedException e) {
      context.close();
      Thread.currentThread().interrupt();
    } finally {
      operator.close();
    }
    return Exit.OK;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof BindException) {
      return "its port is already in use ("
          + t.getMessage()
          + "); stop what listens there or pick another --port";
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? message : message + " (" + t.getClass().getSimpleName() + ")";
  }
}
