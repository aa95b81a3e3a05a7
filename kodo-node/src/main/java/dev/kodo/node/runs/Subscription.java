package dev.kodo.node.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One live listener of one run's events, fed by {@link LiveHub} after the events are persisted.
 * Bounded: a listener that falls behind is marked {@link #lagged()} and re-reads from the store, so
 * a slow client costs memory up to the bound and never loses an event. The queue takes memory as
 * events wait in it, not for its whole bound up front (an array of 8,192 would be 32 KB a stream).
 */
final class Subscription implements AutoCloseable {
  private static final int CAPACITY = 8_192;

  private final String fid;
  private final LiveHub hub;
  private final BlockingQueue<LiveEvent> queue = new LinkedBlockingQueue<>(CAPACITY);
  private volatile boolean lagged;
  private volatile boolean gone;

  Subscription(String fid, LiveHub hub) {
    this.fid = fid;
    this.hub = hub;
  }

  String fid() {
    return fid;
  }

  void offer(LiveEvent e) {
    if (!queue.offer(e)) {
      lagged = true;
    }
  }

  /** The run was deleted: the listener should stop. */
  void end() {
    gone = true;
  }

  boolean gone() {
    return gone;
  }

  /** Whether events were dropped because this listener fell behind; clears the mark. */
  boolean lagged() {
    if (lagged) {
      lagged = false;
      queue.clear();
      return true;
    }
    return false;
  }

  /** Waits up to {@code timeoutMillis} for events; returns what arrived (maybe nothing). */
  List<LiveEvent> poll(long timeoutMillis) throws InterruptedException {
    List<LiveEvent> out = new ArrayList<>();
    LiveEvent first = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (first != null) {
      out.add(first);
      queue.drainTo(out, 1024);
    }
    return out;
  }

  @Override
  public void close() {
    hub.unsubscribe(this);
  }
}
