package dev.kodo.node.telemetry;

import dev.kodo.client.EventType;
import dev.kodo.cluster.RunTicket;
import dev.kodo.node.runs.RunObserver;
import dev.kodo.worker.WorkerTelemetry;

/**
 * The node's one observer of launches, writes and runs on its embedded worker (docs/operations.md):
 * it feeds the {@link NodeMetrics} and the {@link RunTraces} from the hooks of the runs package
 * ({@link RunObserver}) and of the worker ({@link WorkerTelemetry}). Never throws into the code it
 * observes. Thread-safe.
 */
final class NodeTelemetry implements RunObserver, WorkerTelemetry {
  private final NodeMetrics metrics;
  private final RunTraces traces;

  NodeTelemetry(NodeMetrics metrics, RunTraces traces) {
    this.metrics = metrics;
    this.traces = traces;
  }

  NodeMetrics metrics() {
    return metrics;
  }

  @Override
  public Launch launching(String flow) {
    Launch traced;
    try {
      traced = traces.launching(flow);
    } catch (RuntimeException e) {
      traced = Launch.NONE;
    }
    Launch span = traced;
    return new Launch() {
      @Override
      public String traceparent() {
        return span.traceparent();
      }

      @Override
      public void dispatched(String fid) {
        metrics.launched(flow);
        span.dispatched(fid);
      }

      @Override
      public void failed(Throwable error) {
        span.failed(error);
      }
    };
  }

  @Override
  public void persisted(int events, long nanos) {
    metrics.persisted(events, nanos);
  }

  @Override
  public RunTelemetry started(String worker, RunTicket ticket) {
    if (ticket.dispatchedAt() > 0) {
      metrics.dispatched(System.currentTimeMillis() - ticket.dispatchedAt());
    }
    RunTelemetry spans = traces.started(worker, ticket);
    return new RunTelemetry() {
      @Override
      public void emitted(EventType type, String data) {
        spans.emitted(type, data);
      }

      @Override
      public void ended() {
        spans.ended();
      }
    };
  }
}
