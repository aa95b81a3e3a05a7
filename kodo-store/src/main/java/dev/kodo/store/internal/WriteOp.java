package dev.kodo.store.internal;

import dev.kodo.client.Event;
import dev.kodo.store.NewRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** One queued call to the store, with the future the writer completes once it is durable. */
sealed interface WriteOp permits WriteOp.Create, WriteOp.Append, WriteOp.Delete, WriteOp.Claim {

  CompletableFuture<?> future();

  /** How many events it writes, to size transactions. */
  int size();

  /** What the call does, naming its fid and seq, for messages. */
  String describe();

  /** Whether it is committed in a transaction of its own. */
  default boolean solo() {
    return false;
  }

  record Create(NewRun run, List<Event> events, String writer, CompletableFuture<Void> future)
      implements WriteOp {
    @Override
    public int size() {
      return events.size();
    }

    @Override
    public String describe() {
      return "create run "
          + run.fid()
          + (events.isEmpty() ? "" : " with events seq 1.." + events.size());
    }
  }

  record Append(List<Event> events, CompletableFuture<Void> future) implements WriteOp {
    @Override
    public int size() {
      return events.size();
    }

    @Override
    public String describe() {
      Map<String, long[]> ranges = new LinkedHashMap<>();
      for (Event e : events) {
        ranges.merge(
            e.fid(),
            new long[] {e.seq(), e.seq()},
            (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
      return "append events to "
          + ranges.entrySet().stream()
              .map(
                  r ->
                      "run "
                          + r.getKey()
                          + " seq "
                          + r.getValue()[0]
                          + (r.getValue()[0] == r.getValue()[1] ? "" : ".." + r.getValue()[1]))
              .collect(Collectors.joining(", "));
    }
  }

  record Delete(String fid, CompletableFuture<Boolean> future) implements WriteOp {
    @Override
    public int size() {
      return 1;
    }

    @Override
    public boolean solo() {
      return true;
    }

    @Override
    public String describe() {
      return "delete run " + fid;
    }
  }

  /** Takes over unfinished runs for {@code writer}, see {@link dev.kodo.store.EventStore#claim}. */
  record Claim(
      String writer,
      String from,
      boolean unrecorded,
      CompletableFuture<List<dev.kodo.store.RunRecord>> future)
      implements WriteOp {
    @Override
    public int size() {
      return 1;
    }

    @Override
    public boolean solo() {
      return true;
    }

    @Override
    public String describe() {
      return "claim the unfinished runs of writer " + from + " for " + writer;
    }
  }
}
