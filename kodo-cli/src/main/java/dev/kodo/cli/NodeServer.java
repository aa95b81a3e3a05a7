package dev.kodo.cli;

import dev.kodo.engine.FlowCatalog;
import dev.kodo.node.NodeApplication;
import dev.kodo.node.NodeProperties;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * Starts a node through Spring Boot, says where it is, and waits until it is shut down: by
 * Ctrl-C (Spring's shutdown hook closes it) or, when embedded, by interrupting the waiting
 * thread, which closes the node too.
 */
final class NodeServer {
  private NodeServer() {}

  static int serve(String what, List<String> springArgs, PrintWriter out) {
    long start = System.nanoTime();
    ConfigurableApplicationContext context;
    try {
      context = NodeApplication.start(springArgs.toArray(String[]::new));
    } catch (RuntimeException e) {
      throw new CliException(Exit.FAILED, what + " did not start: " + rootCause(e));
    }
    CountDownLatch closed = new CountDownLatch(1);
    context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
    Environment env = context.getEnvironment();
    String address = env.getProperty("server.address", "127.0.0.1");
    String url = "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + env.getProperty("local.server.port");
    NodeProperties properties = context.getBean(NodeProperties.class);
    int flows = context.getBean(FlowCatalog.class).size();
    out.printf(Locale.ROOT, "%s ready at %s — data %s, %d flow%s (started in %.1f s; Ctrl-C stops it)%n", what, url,
        properties.getData().toAbsolutePath().normalize(), flows, flows == 1 ? "" : "s", (System.nanoTime() - start) / 1e9);
    out.flush();
    try {
      if (context.isActive()) {
        closed.await();
      }
    } catch (InterruptedException e) {
      context.close();
      Thread.currentThread().interrupt();
    }
    return Exit.OK;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof java.net.BindException) {
      return "its port is already in use (" + t.getMessage() + "); stop what listens there or pick another --port";
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? message : message + " (" + t.getClass().getSimpleName() + ")";
  }
}
