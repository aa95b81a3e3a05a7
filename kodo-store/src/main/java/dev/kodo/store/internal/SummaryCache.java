package dev.kodo.store.internal;

import dev.kodo.store.RunRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The summaries of the runs written most recently, as committed, so that the writer folds new
 * events onto them without reading the {@code runs} row back. Least recently used entries are
 * dropped past the capacity. Used by the writer thread only; not thread-safe.
 */
final class SummaryCache {
  private final Map<String, RunRecord> byFid;

  SummaryCache(int capacity) {
    this.byFid = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, RunRecord> eldest) {
        return size() > capacity;
      }
    };
  }

  RunRecord get(String fid) {
    return byFid.get(fid);
  }

  void put(RunRecord r) {
    byFid.put(r.fid(), r);
  }

  void remove(String fid) {
    byFid.remove(fid);
  }
}
