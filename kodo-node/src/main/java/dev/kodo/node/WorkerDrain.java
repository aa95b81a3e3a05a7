package dev.kodo.node;

import dev.kodo.worker.Worker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The first step of the node's graceful stop, after the web server stopped taking requests: the
 * embedded worker stops taking runs, gives those in flight {@code kodo.worker.shutdown-grace} to
 * end, ends the rest with {@code fatal} / {@code worker-stopped} and sends everything they emitted
 * to the cluster. Only then does the event ingest (a lower phase) read what is left and stop, and
 * the store close, so that a {@code final} emitted during the stop is kept. Thread-safe.
 */
@Component
final class WorkerDrain implements SmartLifecycle {
  /** Stops before the event ingest ({@code EventIngest}, phase 100) and after the web server. */
  static final int PHASE = 200;

  private final ObjectProvider<Worker> worker;
  private final NodeProperties properties;
  private volatile boolean running;

  WorkerDrain(ObjectProvider<Worker> worker, NodeProperties properties) {
    this.worker = worker;
    this.properties = properties;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    Worker w = worker.getIfAvailable();
    if (w != null) {
      w.stop(properties.getWorker().getShutdownGrace());
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
