package dev.kodo.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for a moment on the {@code System.nanoTime()} clock, the one way the bench's loads and
 * its flows keep their rates. Nothing else in it: the flows ({@link Emitter}, {@link GatedEmitter})
 * call it in worker processes too.
 */
final class Pacing {
  private Pacing() {}

  /** Parks the calling thread (a virtual one without holding its carrier) until {@code due}. */
  static void parkUntil(long due) {
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
