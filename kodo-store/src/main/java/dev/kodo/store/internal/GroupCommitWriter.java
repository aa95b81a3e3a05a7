package dev.kodo.store.internal;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import dev.kodo.store.RunRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's single writer: a platform daemon thread that takes every call queued since its last
 * transaction, writes them in one transaction, commits, and then completes their futures in call
 * order. A call the batch refuses (duplicate seq, unknown run) fails alone.
 *
 * <p>If the transaction fails for a reason that waiting can cure (a lost connection, a database
 * that restarts, SQLite busy: {@link SqlErrors#retryable}), the same calls are tried again with
 * back-off (50 ms doubling to 2 s), for as long as it takes while the store is open and for 10 s
 * after it was closed; everything queued behind them waits, so nothing is reordered and no call
 * fails for it. If it fails for another reason, the calls are written again one per transaction, so
 * that only the offending call fails. A lost connection is reopened for the next attempt.
 */
final class GroupCommitWriter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int CACHED_RUNS = 10_000;
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  private static final long CLOSE_GRACE_MILLIS = 10_000;

  private final Backend backend;
  private final WriteQueue queue;
  private final SummaryCache cache = new SummaryCache(CACHED_RUNS);
  private final Thread thread;
  private WriteSession session;

  GroupCommitWriter(Backend backend, WriteQueue queue, WriteSession session) {
    this.backend = backend;
    this.queue = queue;
    this.session = session;
    this.thread = Thread.ofPlatform().name("kodo-store-writer").daemon(true).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  boolean isWriterThread() {
    return Thread.currentThread() == thread;
  }

  /** Waits until the writer has written everything queued before the queue was closed. */
  void awaitStop() {
    if (isWriterThread()) {
      return;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      for (List<WriteOp> ops = queue.take(); !ops.isEmpty(); ops = queue.take()) {
        write(ops);
      }
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }

  private void write(List<WriteOp> ops) {
    long backoff = FIRST_BACKOFF_MILLIS;
    for (int attempt = 1; ; attempt++) {
      List<Runnable> completions = new ArrayList<>(ops.size());
      try {
        Batch batch = new Batch(session(), cache, attempt > 1);
        for (WriteOp op : ops) {
          completions.add(stage(batch, op));
        }
        batch.commit();
      } catch (SQLException | RuntimeException e) {
        abandon(ops);
        if (SqlErrors.retryable(e) && mayRetry()) {
          if (attempt == 1 || attempt % 30 == 0) {
            log.warn(
                "the event store {} did not take {} call(s) ({}; attempt {}); retrying with back-off, holding every"
                    + " later write behind them",
                backend.describe(),
                ops.size(),
                SqlErrors.reason(e),
                attempt);
          }
          pause(backoff);
          backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
          continue;
        }
        fail(ops, e);
        return;
      }
      if (attempt > 1) {
        log.info(
            "the event store {} accepts writes again (after {} attempts)",
            backend.describe(),
            attempt);
      }
      completions.forEach(Runnable::run);
      return;
    }
  }

  /**
   * A write that cannot succeed by waiting: only the offending call fails, the others are written
   * one by one.
   */
  private void fail(List<WriteOp> ops, Throwable e) {
    if (ops.size() == 1) {
      WriteOp op = ops.getFirst();
      op.future().completeExceptionally(SqlErrors.wrap(op.describe(), e));
      return;
    }
    log.warn(
        "writing {} calls to the event store {} in one transaction failed ({}); writing them one by one",
        ops.size(),
        backend.describe(),
        SqlErrors.reason(e));
    ops.forEach(op -> write(List.of(op)));
  }

  /**
   * Transient failures are retried for ever while the store is open, and for a grace period once it
   * closes.
   */
  private boolean mayRetry() {
    long closedFor = queue.closedForNanos();
    return closedFor < 0 || closedFor < TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stages {@code op} and says how to complete its future once committed; a refusal fails only this
   * call.
   */
  private static Runnable stage(Batch batch, WriteOp op) throws SQLException {
    try {
      switch (op) {
        case WriteOp.Create c -> {
          batch.create(c);
          return () -> c.future().complete(null);
        }
        case WriteOp.Append a -> {
          batch.append(a);
          return () -> a.future().complete(null);
        }
        case WriteOp.Delete d -> {
          boolean existed = batch.delete(d);
          return () -> d.future().complete(existed);
        }
        case WriteOp.Claim c -> {
          List<RunRecord> claimed = batch.claim(c);
          return () -> c.future().complete(claimed);
        }
      }
    } catch (KodoException refused) {
      return () -> op.future().completeExceptionally(refused);
    }
  }

  private WriteSession session() throws SQLException {
    if (session == null) {
      session = WriteSession.open(backend);
    }
    return session;
  }

  /**
   * Rolls back, forgets the cached summaries of the runs involved, and drops a broken connection.
   */
  private void abandon(List<WriteOp> ops) {
    if (session != null) {
      session.rollback();
      if (!session.isValid()) {
        session.close();
        session = null;
      }
    }
    for (WriteOp op : ops) {
      switch (op) {
        case WriteOp.Create c -> cache.remove(c.run().fid());
        case WriteOp.Append a ->
            a.events().stream().map(Event::fid).distinct().forEach(cache::remove);
        case WriteOp.Delete d -> cache.remove(d.fid());
        case WriteOp.Claim c -> {}
      }
    }
  }
}
