package dev.kansoku.contrib.statsdreceiver;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;

/**
 * The auto-scaling exponential histogram the collector's statsd receiver aggregates into (lightstep's
 * go-expohisto, the OpenTelemetry SDK's algorithm): it starts at the finest scale (20) and halves its
 * resolution whenever a value would need more than {@code maxSize} buckets on one side of zero.
 * Buckets are upper-inclusive, {@code (base^i, base^(i+1)]} with {@code base = 2^(2^-scale)}. Not
 * thread-safe; the aggregator guards it.
 */
final class ExpoHistogram {
  static final int MIN_SIZE = 2;
  static final int MAXIMUM_MAX_SIZE = 16384;
  static final int DEFAULT_MAX_SIZE = 160;
  static final int MAX_SCALE = 20;
  private static final int MIN_NORMAL_EXPONENT = -1022;
  private static final int MAX_NORMAL_EXPONENT = 1023;
  private static final long SIGNIFICAND_MASK = (1L << 52) - 1;
  private static final double LOG2E = 1.4426950408889634;

  private final int maxSize;
  private int scale = MAX_SCALE;
  private long count;
  private long zeroCount;
  private double sum;
  private double min;
  private double max;
  private final Buckets positive = new Buckets();
  private final Buckets negative = new Buckets();

  /** @param maxSize buckets per sign; values below {@link #MIN_SIZE} mean the default, 160 */
  ExpoHistogram(int maxSize) {
    this.maxSize = maxSize >= MIN_SIZE ? maxSize : DEFAULT_MAX_SIZE;
  }

  /** Records {@code value} {@code incr} times (a sampled value counts 1/rate times). */
  void update(double value, long incr) {
    if (count == 0) {
      min = value;
      max = value;
    } else {
      min = value < min ? value : min;
      max = value > max ? value : max;
    }
    count += incr;
    if (value == 0) {
      zeroCount += incr;
      return;
    }
    sum += value * incr;
    Buckets b = value > 0 ? positive : negative;
    double abs = Math.abs(value);
    if (!b.increment(index(abs), incr, maxSize)) {
      long[] highLow = b.conflict;
      int change = 0;
      for (long high = highLow[0], low = highLow[1]; high - low >= maxSize; high >>= 1, low >>= 1) {
        change++;
      }
      positive.downscale(change);
      negative.downscale(change);
      scale -= change;
      b.increment(index(abs), incr, maxSize);
    }
  }

  /** The bucket of a positive, finite value at the current scale (the spec's MapToIndex). */
  private int index(double value) {
    long bits = Double.doubleToRawLongBits(value);
    boolean powerOfTwo = (bits & SIGNIFICAND_MASK) == 0;
    if (scale <= 0) {
      int shift = -scale;
      if (value < Double.MIN_NORMAL) {
        return (MIN_NORMAL_EXPONENT >> shift) - (shift < 2 ? 1 : 0);
      }
      return (Math.getExponent(value) - (powerOfTwo ? 1 : 0)) >> shift;
    }
    if (value <= Double.MIN_NORMAL) {
      return (int) (((long) MIN_NORMAL_EXPONENT << scale) - 1);
    }
    if (powerOfTwo) {
      return (int) (((long) Math.getExponent(value) << scale) - 1);
    }
    long maxIndex = ((long) (MAX_NORMAL_EXPONENT + 1) << scale) - 1;
    long index = (long) Math.floor(Math.log(value) * Math.scalb(LOG2E, scale));
    return (int) Math.min(index, maxIndex);
  }

  /** The histogram as a data point (counts, sum, min/max when anything was recorded, scale, buckets). */
  ExponentialHistogramDataPoint.Builder toPoint() {
    ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder().setCount(count).setSum(sum)
        .setZeroCount(zeroCount).setScale(scale);
    if (count != 0) {
      p.setMin(min).setMax(max);
    }
    positive.write(p.getPositiveBuilder());
    negative.write(p.getNegativeBuilder());
    return p;
  }

  /** Contiguous bucket counts from {@code start} to {@code end}; indices only ever grow apart by at most maxSize. */
  private static final class Buckets {
    private long[] counts = new long[0];
    private int start;
    private int end;
    private boolean empty = true;
    /** The high and low index of the last increment that did not fit. */
    final long[] conflict = new long[2];

    /** Adds to the bucket of {@code index}; false (and {@link #conflict} set) when it would need more than maxSize buckets. */
    boolean increment(int index, long incr, int maxSize) {
      if (empty) {
        counts = new long[] {0};
        start = index;
        end = index;
        empty = false;
      } else if (index < start) {
        if ((long) end - index >= maxSize) {
          conflict[0] = end;
          conflict[1] = index;
          return false;
        }
        long[] grown = new long[end - index + 1];
        System.arraycopy(counts, 0, grown, start - index, counts.length);
        counts = grown;
        start = index;
      } else if (index > end) {
        if ((long) index - start >= maxSize) {
          conflict[0] = index;
          conflict[1] = start;
          return false;
        }
        long[] grown = new long[index - start + 1];
        System.arraycopy(counts, 0, grown, 0, counts.length);
        counts = grown;
        end = index;
      }
      counts[index - start] += incr;
      return true;
    }

    /** Merges buckets {@code 2^change} at a time: index i becomes i >> change. */
    void downscale(int change) {
      if (empty || change == 0) {
        return;
      }
      int newStart = start >> change;
      int newEnd = end >> change;
      long[] merged = new long[newEnd - newStart + 1];
      for (int i = start; i <= end; i++) {
        merged[(i >> change) - newStart] += counts[i - start];
      }
      counts = merged;
      start = newStart;
      end = newEnd;
    }

    void write(ExponentialHistogramDataPoint.Buckets.Builder b) {
      if (empty) {
        return;
      }
      b.setOffset(start);
      for (long c : counts) {
        b.addBucketCounts(c);
      }
    }
  }
}
