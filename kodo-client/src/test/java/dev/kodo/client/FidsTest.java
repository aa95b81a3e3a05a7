package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FidsTest {

  @Test
  void isAVersion7UuidWithTheRfcVariant() {
    for (int i = 0; i < 1_000; i++) {
      String fid = Fids.next();
      UUID uuid = UUID.fromString(fid);
      assertThat(fid).hasSize(36).isLowerCase();
      assertThat(uuid.version()).isEqualTo(7);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(fid.charAt(14)).isEqualTo('7');
      assertThat(fid.charAt(19)).isIn('8', '9', 'a', 'b');
    }
  }

  @Test
  void carriesItsCreationTimeInTheFirst48Bits() {
    long before = System.currentTimeMillis();
    String fid = Fids.next();
    long after = System.currentTimeMillis();

    long millis = UUID.fromString(fid).getMostSignificantBits() >>> 16;
    // At most a few milliseconds ahead: ids made faster than 4096 per millisecond borrow the next
    // one.
    assertThat(millis).isBetween(before, after + 1_000);
  }

  @Test
  void isStrictlyIncreasingInATightLoopFromSeveralThreads() throws Exception {
    int threads = 4;
    int each = 50_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<List<String>> task =
            () -> {
              start.await();
              List<String> fids = new ArrayList<>(each);
              for (int i = 0; i < each; i++) {
                fids.add(Fids.next());
              }
              return fids;
            };
        futures.add(pool.submit(task));
      }
      Set<String> all = new HashSet<>();
      for (Future<List<String>> f : futures) {
        List<String> fids = f.get();
        for (int i = 1; i < fids.size(); i++) {
          assertThat(fids.get(i)).as("fid #%d of a thread", i).isGreaterThan(fids.get(i - 1));
        }
        all.addAll(fids);
      }
      assertThat(all).hasSize(threads * each);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sortingFidsAsTextSortsThemByCreation() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(Fids.next());
    }
    assertThat(made).isSorted();
  }

  @Test
  void acceptsUuids() {
    assertThat(Fids.valid(Fids.next())).isTrue();
    assertThat(Fids.valid("0190b2f4-6a3e-7c1d-8e2f-123456789abc")).isTrue();
    assertThat(Fids.valid("0190B2F4-6A3E-7C1D-8E2F-123456789ABC")).isTrue();
    assertThat(Fids.valid(UUID.randomUUID().toString())).isTrue();
  }

  @Test
  void rejectsJunkBeforeItReachesTheStore() {
    assertThat(Fids.valid(null)).isFalse();
    assertThat(Fids.valid("")).isFalse();
    assertThat(Fids.valid("run-1")).isFalse();
    assertThat(Fids.valid("0190b2f4-6a3e-7c1d-8e2f-123456789ab")).isFalse();
    assertThat(Fids.valid("0190b2f4-6a3e-7c1d-8e2f-123456789abcd")).isFalse();
    assertThat(Fids.valid("0190b2f4x6a3e-7c1d-8e2f-123456789abc")).isFalse();
    assertThat(Fids.valid("0190b2f4-6a3e-7c1d-8e2f-12345678'abc")).isFalse();
    assertThat(Fids.valid("g190b2f4-6a3e-7c1d-8e2f-123456789abc")).isFalse();
    assertThat(Fids.valid("../../etc/passwd-aaaa-bbbb-cccc-dddd")).isFalse();
    assertThat(Fids.valid("0190b2f4-6a3e-7c1d-8e2f-12345678 abc")).isFalse();
    // java.util.UUID.fromString parses a sign in a group; a fid never has one.
    assertThat(Fids.valid("+1234567-1234-1234-1234-123456789abc")).isFalse();
    assertThat(Fids.valid("-1234567-1234-1234-1234-123456789abc")).isFalse();
  }
}
