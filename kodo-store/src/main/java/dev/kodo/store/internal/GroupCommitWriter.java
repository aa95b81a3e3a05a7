package dev.kodo.store.internal;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's single writer: a platform daemon thread that takes every call queued since its last
 * transaction, writes them in one transaction, commits, and then completes their futures in call
 * order. A call the batch refuses (duplicate seq, unknown run) fails alone. If the transaction
 * itself fails, the calls are written again one per transaction, so that only the offending call
 * fails. A lost connection is reopened for the next transaction.
 */
final class GroupCommitWriter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int CACHED_RUNS = 10_000;

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
    List<Runnable> completions = new ArrayList<>(ops.size());
    try {
      Batch batch = new Batch(session(), cache);
      for (WriteOp op : ops) {
        completions.add(stage(batch, op));
      }
      batch.commit();
    } catch (SQLException | RuntimeException e) {
      abandon(ops);
      if (ops.size() == 1) {
        WriteOp op = ops.getFirst();
        op.future().completeExceptionally(SqlErrors.wrap(op.describe(), e));
        return;
      }
      log.warn("writing {} calls to the event store {} in one transaction failed ({}); writing them one by one",
          ops.size(), backend.describe(), SqlErrors.reason(e));
      ops.forEach(op -> write(List.of(op)));
      return;
    }
    completions.forEach(Runnable::run);
  }

  /** Stages {@code op} and says how to complete its future once committed; a refusal fails only this call. */
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

  /** Rolls back, forgets the cached summaries of the runs involved, and drops a broken connection. */
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
        case WriteOp.Append a -> a.events().stream().map(Event::fid).distinct().forEach(cache::remove);
        case WriteOp.Delete d -> cache.remove(d.fid());
      }
    }
  }
}
