package dev.kansoku.bench;

/**
 * Latencies in microseconds, in log-linear buckets: exact below 256 µs, then 128 buckets per power
 * of two, so a reported percentile is at most 0.8% above the true value. Fixed size (about 8 KB
 * for values up to an hour), no allocation when recording.
 *
 * <p>Not thread-safe: each sending thread records into its own and the report {@link #add merges}
 * them.
 */
final class LatencyHistogram {
  private static final int LINEAR = 256;
  private static final int SUB = 128;
  private static final int SUB_BITS = 7;
  /** Values up to 2^32 µs (71 minutes); larger ones are clamped. */
  private static final int MAX_EXPONENT = 32;

  private final long[] counts = new long[LINEAR + (MAX_EXPONENT - 8) * SUB];
  private long total;
  private long max;

  void record(long micros) {
    long v = Math.max(0, Math.min(micros, (1L << MAX_EXPONENT) - 1));
    counts[index(v)]++;
    total++;
    max = Math.max(max, v);
  }

  static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    int shift = exponent - SUB_BITS;
    return LINEAR + (exponent - 8) * SUB + (int) ((v >>> shift) - SUB);
  }

  /** The largest value that falls in bucket {@code index}. */
  static long upperBound(int index) {
    if (index < LINEAR) {
      return index;
    }
    int exponent = 8 + (index - LINEAR) / SUB;
    int sub = (index - LINEAR) % SUB;
    int shift = exponent - SUB_BITS;
    return ((long) (SUB + sub + 1) << shift) - 1;
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long max() {
    return max;
  }

  /**
   * The value at or below which {@code percentile} percent of the recordings fall (upper bound of
   * its bucket, never above the maximum); 0 when empty.
   */
  long percentile(double percentile) {
    if (percentile < 0 || percentile > 100) {
      throw new IllegalArgumentException("percentile: " + percentile + " (expected: 0..100)");
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(upperBound(i), max);
      }
    }
    return max;
  }
}
