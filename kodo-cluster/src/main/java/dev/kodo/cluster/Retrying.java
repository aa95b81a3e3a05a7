package dev.kodo.cluster;

import org.slf4j.Logger;

/**
 * The consecutive failures of a loop that calls the cluster again and again — a node's event
 * ingest, a worker's take — when a call keeps failing (e.g. the member is gone): how long to wait
 * before the next attempt (10 ms doubling to 2 s) and what to log — the first failure with its
 * cause, later ones once every 30 s with their count, and the recovery — never a stack trace for
 * every attempt of a hot loop. One loop's; not thread-safe.
 */
public final class Retrying {
  static final long FIRST_BACKOFF_MILLIS = 10;
  static final long MAX_BACKOFF_MILLIS = 2_000;
  static final long REPORT_EVERY_MILLIS = 30_000;

  private final Logger log;
  private final String what;
  private long count;
  private long backoff = FIRST_BACKOFF_MILLIS;
  private long reportedAt;

  /** For the loop {@code what} names in its log lines, e.g. "event ingest of queue q". */
  public Retrying(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Records a failure, logs it if it is time to, and returns the milliseconds to wait. */
  public long failed(RuntimeException e) {
    count++;
    long now = System.currentTimeMillis();
    if (count == 1) {
      log.error("{} failed; retrying with back-off", what, e);
      reportedAt = now;
    } else if (now - reportedAt >= REPORT_EVERY_MILLIS) {
      log.error(
          "{} has failed {} times in a row; still retrying (latest: {})",
          what,
          count,
          e.toString());
      reportedAt = now;
    }
    long wait = backoff;
    backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
    return wait;
  }

  /** Records a call that worked: the next failure starts from the first back-off again. */
  public void succeeded() {
    if (count > 0) {
      log.info("{} works again after {} failures", what, count);
      count = 0;
      backoff = FIRST_BACKOFF_MILLIS;
    }
  }
}
