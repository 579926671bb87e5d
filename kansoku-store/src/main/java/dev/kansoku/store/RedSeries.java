package dev.kansoku.store;

import java.util.List;
import javax.annotation.Nullable;

/** The buckets of one service (and operation, when asked per operation), oldest first; empty buckets are left out. */
public record RedSeries(String service, @Nullable String operation, List<Point> points) {
  public RedSeries {
    points = List.copyOf(points);
  }

  /**
   * One bucket: entry spans counted as requests, of which errors (HTTP 4xx), faults (5xx or status
   * ERROR) and throttles (429), as {@link TraceStatus} defines them; the sum of their durations and
   * percentiles estimated from a log-scale histogram (within 5%).
   */
  public record Point(long timeNanos, long requests, long errors, long faults, long throttles, long durationSumNanos,
      long p50Nanos, long p90Nanos, long p99Nanos) {
    public double averageMillis() {
      return requests == 0 ? 0 : durationSumNanos / 1e6 / requests;
    }
  }
}
