package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.store.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by age and by size deletes whole blocks and frees the disk. */
class RetentionTest {
  private static final long DAY_MS = 86_400_000L;
  private static final long NOW_MS = 1_700_000_000_000L;

  @TempDir Path tmp;

  private static long nanos(long millis) {
    return millis * 1_000_000L;
  }

  @Test
  void old_blocks_are_deleted_by_age_and_disk_is_freed() throws Exception {
    Fixtures.MutableClock clock = new Fixtures.MutableClock(NOW_MS);
    try (EmbeddedStorage s = EmbeddedStorage.builder(tmp).background(false).clock(clock)
        .retention(Duration.ofDays(7)).build()) {
      for (int day = 10; day >= 0; day--) { // one block per day, oldest first
        long t = nanos(NOW_MS - day * DAY_MS);
        for (int n = 0; n < 100; n++) {
          s.spanWriter().write(Fixtures.trace(day * 1000 + n, t + n));
          s.logWriter().write(Fixtures.logs(day * 1000 + n, t + n));
        }
        s.flush();
      }
      long before = Fixtures.treeBytes(tmp.resolve("blocks"));
      assertThat(s.retention().size().spans()).isEqualTo(11 * 300);

      EmbeddedStorage.RetentionReport r = s.enforceRetention();

      // days 10, 9 and 8 are older than 7 days (day 7 is exactly at the cutoff and stays)
      assertThat(r.deleted()).isEqualTo(new Retention.Deleted(900, 600, 0));
      assertThat(r.freedBytes()).isPositive();
      assertThat(Fixtures.treeBytes(tmp.resolve("blocks"))).isEqualTo(before - r.freedBytes());
      try (var files = Files.list(tmp.resolve("blocks"))) {
        assertThat(files.count()).isEqualTo(8 * 3); // per day: spans, logs, the spans' RED rollup
      }
      assertThat(s.traceReader().trace(Fixtures.traceId(9000))).isEmpty();
      assertThat(s.traceReader().trace(Fixtures.traceId(7000))).isPresent();
      assertThat(s.retention().size().spans()).isEqualTo(8 * 300);

      // the floor is persistent: a late write older than the cutoff is dropped, even after restart
      s.spanWriter().write(Fixtures.trace(9999, nanos(NOW_MS - 9 * DAY_MS)));
      assertThat(s.traceReader().trace(Fixtures.traceId(9999))).isEmpty();
    }
    try (EmbeddedStorage s = EmbeddedStorage.builder(tmp).background(false).clock(clock).build()) {
      assertThat(s.retention().size().spans()).isEqualTo(8 * 300);
    }
  }

  @Test
  void oldest_blocks_go_while_over_max_size() throws Exception {
    Fixtures.MutableClock clock = new Fixtures.MutableClock(NOW_MS);
    long blockBytes;
    try (EmbeddedStorage probe = EmbeddedStorage.builder(tmp.resolve("probe")).background(false).build()) {
      for (int n = 0; n < 100; n++) {
        probe.spanWriter().write(Fixtures.trace(n, nanos(NOW_MS) + n));
      }
      probe.flush();
      blockBytes = probe.retention().size().bytes();
    }
    Path dir = tmp.resolve("bounded");
    try (EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).clock(clock)
        .maxSizeBytes(blockBytes * 3 + blockBytes / 2).build()) {
      for (int b = 0; b < 6; b++) {
        for (int n = 0; n < 100; n++) {
          s.spanWriter().write(Fixtures.trace(b * 1000 + n, nanos(NOW_MS) + b * 1000 + n));
        }
        s.flush();
      }
      EmbeddedStorage.RetentionReport r = s.enforceRetention();
      assertThat(r.deleted().spans()).isEqualTo(3 * 300);
      assertThat(r.freedBytes()).isGreaterThanOrEqualTo(3 * blockBytes - 300);
      assertThat(s.retention().size().bytes()).isLessThanOrEqualTo(blockBytes * 3 + blockBytes / 2);
      assertThat(s.traceReader().trace(Fixtures.traceId(0))).isEmpty();
      assertThat(s.traceReader().trace(Fixtures.traceId(5000))).isPresent();
    }
  }
}
