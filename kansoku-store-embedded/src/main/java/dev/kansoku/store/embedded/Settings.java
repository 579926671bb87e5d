package dev.kansoku.store.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The embedded store's settings, as the builder made them. */
record Settings(Path directory, Duration retention, long maxSizeBytes, Clock clock, int headMaxSpans,
    int headMaxLogs, int headMaxPoints, long headMaxBytes, Duration headMaxAge, int groupRows, int zstdLevel,
    boolean background, Disk disk) {
  Path walDir() {
    return directory.resolve("wal");
  }

  Path blockDir() {
    return directory.resolve("blocks");
  }

  long nowNanos() {
    return clock.millis() * 1_000_000L;
  }

  /** Whether the head has reached its size limit in any signal, or in bytes (then it is flushed). */
  boolean isFull(Head h) {
    return h.spanCount() >= headMaxSpans || h.logCount() >= headMaxLogs || h.pointCount() >= headMaxPoints
        || h.bytes() >= headMaxBytes;
  }
}
