package dev.kansoku.store;

import java.util.Arrays;

/**
 * Durations counted in log-linear buckets of microseconds, as HDR histograms do: exact below 16 µs,
 * then 16 linear buckets per power of two, so a percentile read back is within about 3% of the true
 * value. Sparse (a service's durations fill a few dozen buckets) and mergeable, which is what
 * per-bucket rollups need. Not thread-safe.
 */
public final class DurationHistogram {
  private static final int SUB = 16;

  private int[] index = new int[8];
  private long[] count = new long[8];
  private int size;
  private long total;

  /** The bucket of a duration. */
  public static int bucket(long nanos) {
    long us = Math.max(0, nanos / 1_000);
    if (us < SUB) {
      return (int) us;
    }
    int octave = 63 - Long.numberOfLeadingZeros(us);
    int sub = (int) (us >>> (octave - 4)) & (SUB - 1);
    return SUB + (octave - 4) * SUB + sub;
  }

  /** The middle of a bucket, in nanoseconds. */
  public static long midpointNanos(int bucket) {
    if (bucket < SUB) {
      return bucket * 1_000L + 500;
    }
    int octave = (bucket - SUB) / SUB + 4;
    int sub = (bucket - SUB) % SUB;
    long lower = (long) (SUB + sub) << (octave - 4);
    long width = 1L << (octave - 4);
    return (lower * 1_000) + width * 500;
  }

  public void add(long nanos) {
    add(bucket(nanos), 1);
  }

  public void add(int bucket, long n) {
    int i = Arrays.binarySearch(index, 0, size, bucket);
    if (i >= 0) {
      count[i] += n;
    } else {
      i = -i - 1;
      if (size == index.length) {
        index = Arrays.copyOf(index, size * 2);
        count = Arrays.copyOf(count, size * 2);
      }
      System.arraycopy(index, i, index, i + 1, size - i);
      System.arraycopy(count, i, count, i + 1, size - i);
      index[i] = bucket;
      count[i] = n;
      size++;
    }
    total += n;
  }

  public void addAll(DurationHistogram other) {
    for (int i = 0; i < other.size; i++) {
      add(other.index[i], other.count[i]);
    }
  }

  /** Non-empty buckets, in order; with {@link #bucketAt} and {@link #countAt}, for encoding. */
  public int buckets() {
    return size;
  }

  public int bucketAt(int i) {
    return index[i];
  }

  public long countAt(int i) {
    return count[i];
  }

  /** The duration at the given percentile (0–100), in nanoseconds; 0 when empty. */
  public long percentileNanos(double percentile) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
    long seen = 0;
    for (int i = 0; i < size; i++) {
      seen += count[i];
      if (seen >= rank) {
        return midpointNanos(index[i]);
      }
    }
    return midpointNanos(index[size - 1]);
  }
}
