package dev.kodo.store;

import dev.kodo.client.Event;
import dev.kodo.client.Page;
import dev.kodo.client.Share;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The per-run append-only event logs of a node (docs/events.md), with a cached summary of each run
 * for fast listing. The log is the only source of truth; the summary ({@link RunRecord}) is derived
 * from it by {@link RunFold} in the same transaction that appends the events.
 *
 * <p>Writes are group-committed: {@link #create} and {@link #append} queue their work and return at
 * once; a single writer commits everything queued in one transaction, and completes the returned
 * futures <b>in the order the calls were made</b>, on the writer's thread, after the commit.
 * Callers assign {@code seq} themselves (gapless per run, from 1); the store refuses a duplicate
 * {@code (fid, seq)} by failing that call's future. {@code create} and {@code append} never wait,
 * so they may be called under locks that the callbacks also take; a producer that can outrun the
 * store calls {@link #awaitRoom} first, outside such locks. A write that fails because the database
 * is briefly unavailable (restarting, busy, connection lost) is retried until it succeeds, without
 * reordering; a future fails only when waiting cannot help.
 *
 * <p>Reads see everything whose future has completed. A read runs at most the options' read timeout
 * and waits at most their read wait for a connection; past either it fails with a retryable {@link
 * dev.kodo.client.KodoException}. Implementations are thread-safe. Open one with {@link
 * EventStores#open(StoreOptions)}.
 */
public interface EventStore extends AutoCloseable {

  /** Creates a run and appends its first events (seq 1..n) in one durable write. */
  CompletableFuture<Void> create(NewRun run, List<Event> first);

  /**
   * Appends events of one or more existing runs, each run's events in seq order. The future fails,
   * and none of the call's events are written, if a run does not exist or an event's seq is not its
   * run's next one (a duplicate or a gap).
   */
  CompletableFuture<Void> append(List<Event> events);

  /**
   * Waits, at most {@code maxMillis}, while so many writes are queued that the store is behind;
   * returns whether there is room now. Back-pressure for producers that can emit faster than the
   * store writes (the node's event ingest): call it before {@link #append}, never while holding a
   * lock the store's completion callbacks need.
   */
  boolean awaitRoom(long maxMillis);

  /** The run's summary, or empty if no such run exists (or it was deleted). */
  Optional<RunRecord> run(String fid);

  /** Up to {@code limit} events of the run with {@code seq > after}, in seq order. */
  List<Event> events(String fid, long after, int limit);

  /** A page of run summaries matching the query. */
  Page<RunRecord> runs(RunQuery query);

  /**
   * Who the run is shared with, by subject; empty if it is shared with no one or does not exist.
   */
  List<Share> shares(String fid);

  /** Every run whose state is not finished (pending or locked), oldest first. */
  List<RunRecord> unfinished();

  /**
   * Names the writer recorded with every run this store creates from now on: the node incarnation
   * that appends to it (docs/architecture.md#two-nodes-one-database). Until it is called, runs are
   * created with no writer recorded.
   */
  void writeAs(String writer);

  /**
   * The writer recorded for the run, or null if none is (a run created before writers were
   * recorded, or by a store that names none).
   *
   * @throws NoSuchRunException if there is no such run
   */
  String writer(String fid);

  /**
   * Makes this store's writer ({@link #writeAs}) the writer of every unfinished run whose writer is
   * {@code from} — or starts with it, if {@code from} ends with {@code *} — and, with {@code
   * unrecorded}, of those with no writer recorded; returns the runs it took, oldest first. Each run
   * is taken by one caller only, even when stores of several nodes claim at once. Durable when it
   * returns.
   */
  List<RunRecord> claim(String from, boolean unrecorded);

  /** Removes a run and all its events; returns whether it existed. Durable when it returns. */
  boolean delete(String fid);

  /**
   * Waits for queued writes to commit, then releases the store's resources. Later calls throw a
   * {@link dev.kodo.client.KodoException}.
   */
  @Override
  void close();
}
