package dev.kodo.store.internal;

import dev.kodo.store.RunRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The committed summaries of the unfinished runs written most recently, so that the writer folds
 * new events onto them without reading the {@code runs} row back. Finished runs are not kept (few
 * events follow their end, and their results may be large), nor are inputs, which never change
 * after creation and are not rewritten by later updates. Past the capacity the least recently used
 * entry is dropped. Used by the writer thread only; not thread-safe.
 */
final class SummaryCache {
  private final Map<String, RunRecord> byFid;

  SummaryCache(int capacity) {
    this.byFid =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, RunRecord> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The run's summary with {@code inputs} null, or null if it is not cached. */
  RunRecord get(String fid) {
    return byFid.get(fid);
  }

  void put(RunRecord r) {
    if (r.state().finished()) {
      byFid.remove(r.fid());
      return;
    }
    byFid.put(
        r.fid(),
        new RunRecord(
            r.fid(),
            r.flow(),
            r.owner(),
            r.state(),
            r.progress(),
            r.progressMessage(),
            null,
            r.result(),
            r.error(),
            r.lock(),
            r.lockId(),
            r.created(),
            r.finished(),
            r.acknowledged(),
            r.lastSeq(),
            r.usage()));
  }

  void remove(String fid) {
    byFid.remove(fid);
  }
}
