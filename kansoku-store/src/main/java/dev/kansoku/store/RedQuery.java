package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import javax.annotation.Nullable;

/**
 * Which requests to aggregate and how finely: entry spans starting in [{@code startNanos},
 * {@code endNanos}), of {@code service} and {@code operation} when given, in buckets of
 * {@code periodNanos} aligned to the epoch. Stores keep per-{@link #RESOLUTION} rollups, so the
 * period is a whole multiple of it (the constructor rounds up). Immutable.
 */
public record RedQuery(@Nullable String service, @Nullable String operation, long startNanos, long endNanos,
    long periodNanos, boolean byOperation) {
  /** The finest bucket: rollups are kept per 10 seconds. */
  public static final Duration RESOLUTION = Duration.ofSeconds(10);
  /** At most this many buckets per series, so a long window with a short period cannot flood a client. */
  public static final int MAX_BUCKETS = 10_000;

  public RedQuery {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("end < start");
    }
    long res = RESOLUTION.toNanos();
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("period: " + periodNanos + " ns (expected: > 0)");
    }
    periodNanos = (periodNanos + res - 1) / res * res;
    if ((endNanos - startNanos) / periodNanos > MAX_BUCKETS) {
      throw new IllegalArgumentException("period: " + Duration.ofNanos(periodNanos) + " makes more than "
          + MAX_BUCKETS + " buckets over the window (use a longer period)");
    }
  }

  public static RedQuery of(@Nullable String service, long startNanos, long endNanos, Duration period) {
    return new RedQuery(service, null, startNanos, endNanos, requireNonNull(period, "period").toNanos(), false);
  }

  /** The start of the bucket that holds {@code nanos}. */
  public long bucketOf(long nanos) {
    return Math.floorDiv(nanos, periodNanos) * periodNanos;
  }
}
