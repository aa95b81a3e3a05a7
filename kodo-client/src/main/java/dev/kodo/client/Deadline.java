package dev.kodo.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long the current thread may go on working for what it was asked — one HTTP request, in the
 * services. The HTTP layer {@linkplain #start starts} it when a request arrives and {@linkplain
 * #clear clears} it when the answer is written; loops whose length a caller controls (scans over
 * every flow of a registry, filters over a catalogue) call {@link #check} now and then, which
 * throws once the time is up. So a request that turns out too costly stops on its own, also when
 * its client has left. A thread without a deadline never times out.
 *
 * <p>Thread-confined (held in a thread-local); nothing is shared between threads.
 */
public final class Deadline {
  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private final long endNanos;
  private final Duration timeout;

  private Deadline(Duration timeout) {
    this.timeout = timeout;
    this.endNanos = System.nanoTime() + timeout.toNanos();
  }

  /** Gives the current thread {@code timeout} from now; zero or negative means none. */
  public static void start(Duration timeout) {
    Check.notNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      CURRENT.remove();
    } else {
      CURRENT.set(new Deadline(timeout));
    }
  }

  /** Removes the current thread's deadline. */
  public static void clear() {
    CURRENT.remove();
  }

  /**
   * Returns if the current thread still has time (or no deadline).
   *
   * @throws ExceededException once its deadline has passed
   */
  public static void check() {
    Deadline d = CURRENT.get();
    if (d != null && System.nanoTime() - d.endNanos > 0) {
      throw new ExceededException(d.timeout);
    }
  }

  /**
   * Waits for {@code work} to complete, at most until the current thread's deadline (for ever when
   * it has none), and returns its value; its failure is thrown as it is when it is unchecked.
   *
   * @throws ExceededException if the deadline passes first ({@code work} goes on by itself)
   */
  public static <T> T await(CompletableFuture<T> work) {
    Deadline d = CURRENT.get();
    try {
      if (d == null) {
        return work.join();
      }
      long left = d.endNanos - System.nanoTime();
      if (left <= 0 && !work.isDone()) {
        throw new ExceededException(d.timeout);
      }
      return work.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ExceededException(d.timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KodoException("interrupted while waiting", true, e);
    } catch (ExecutionException | CompletionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new KodoException(e.getCause().getMessage(), false, e.getCause());
    }
  }

  /**
   * The work of a request went on past its deadline and was stopped; the same request may succeed
   * later.
   */
  public static final class ExceededException extends KodoException {
    private final Duration timeout;

    ExceededException(Duration timeout) {
      super(
          "the request's work took longer than its deadline of "
              + timeout.toMillis()
              + " ms and was stopped",
          true,
          null);
      this.timeout = timeout;
    }

    /** The deadline the work went past. */
    public Duration timeout() {
      return timeout;
    }
  }
}
