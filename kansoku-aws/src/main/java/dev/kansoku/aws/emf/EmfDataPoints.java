package dev.kansoku.aws.emf;

import dev.kansoku.aws.emf.EmfTranslator.Context;
import dev.kansoku.aws.json.GoJson;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP data points → the values an EMF event carries (the reference's datapoint.go): numbers,
 * cumulative sums as deltas against the previous export, histograms and summaries as statistic
 * sets, exponential histograms as value/count arrays split at 100 buckets. Stale, NaN and infinite
 * points are dropped (null).
 *
 * <p>Thread-safe: the delta caches are the only state and lock themselves.
 */
final class EmfDataPoints {
  private static final Logger log = LoggerFactory.getLogger(EmfDataPoints.class);
  /** OTLP DataPointFlags.FLAG_NO_RECORDED_VALUE: a stale marker, never exported. */
  private static final int NO_RECORDED_VALUE = 1;
  /** CloudWatch accepts at most 100 values per EMF histogram; bigger ones are split. */
  private static final int SPLIT_THRESHOLD = 100;

  private record SummaryEntry(double sum, long count) {}

  private record Stats(double max, double min, long count, double sum) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>(4);
      m.put("Max", max);
      m.put("Min", min);
      m.put("Count", unsigned(count));
      m.put("Sum", sum);
      return m;
    }
  }

  /** A Go uint64: written unsigned. */
  private record UnsignedLong(long bits) {}

  private static GoJson.Raw unsigned(long bits) {
    return new GoJson.Raw(Long.toUnsignedString(bits));
  }

  record DataPoint(String name, Object value, Map<String, String> labels, long timestampMs) {}

  private final boolean retainInitialValue;
  private final boolean detailedMetrics;
  private final DeltaCache<Double> numberDeltas;
  private final DeltaCache<SummaryEntry> summaryDeltas;

  EmfDataPoints(boolean retainInitialValue, boolean detailedMetrics, Clock clock) {
    this.retainInitialValue = retainInitialValue;
    this.detailedMetrics = detailedMetrics;
    this.numberDeltas = new DeltaCache<>((a, b) -> a - b, clock);
    this.summaryDeltas = new DeltaCache<>((a, b) -> new SummaryEntry(a.sum - b.sum, a.count - b.count), clock);
  }

  /** A data point's value as written into the event's JSON. */
  static Object json(Object value) {
    if (value instanceof Stats s) {
      return s.json();
    }
    return value instanceof UnsignedLong u ? unsigned(u.bits) : value;
  }

  private static long millis(long unixNano) {
    return Long.divideUnsigned(unixNano, 1_000_000L);
  }

  @Nullable
  List<DataPoint> number(String name, NumberDataPoint p, boolean cumulative, Context c) {
    boolean isDouble = p.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE;
    double value = isDouble ? p.getAsDouble() : (double) p.getAsInt();
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || isDouble && !Double.isFinite(value)) {
      log.debug("Dropped stale, NaN or Inf value of {}", name);
      return null;
    }
    Map<String, String> labels = c.labels(p.getAttributesList());
    if (cumulative) {
      DeltaCache.Result<Double> r = numberDeltas.update(c.deltaKey(name, labels), value, millis(p.getTimeUnixNano()));
      double delta;
      if (r.first()) {
        if (!retainInitialValue) {
          return null;
        }
        delta = value;
      } else {
        delta = r.delta();
      }
      // A negative delta means the counter was reset: the reference then reports the raw value.
      if (delta >= 0) {
        value = delta;
      }
    }
    return List.of(new DataPoint(name, value, labels, millis(p.getTimeUnixNano())));
  }

  @Nullable
  List<DataPoint> histogram(String name, HistogramDataPoint p, Context c) {
    double max = p.hasMax() ? p.getMax() : 0;
    double min = p.hasMin() ? p.getMin() : 0;
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || !Double.isFinite(max) || !Double.isFinite(min)
        || !Double.isFinite(p.getSum())) {
      log.debug("Dropped stale, NaN or Inf histogram of {}", name);
      return null;
    }
    Map<String, String> labels = c.labels(p.getAttributesList());
    return List.of(new DataPoint(name, new Stats(max, min, p.getCount(), p.getSum()), labels,
        millis(p.getTimeUnixNano())));
  }

  private static final class Split {
    final List<Double> values = new ArrayList<>();
    final List<Double> counts = new ArrayList<>();
    double max;
    double min;
    long count;
    final double sum;
    final int capacity;
    int length;

    Split(double max, double min, double sum, int capacity) {
      this.max = max;
      this.min = min;
      this.sum = sum;
      this.capacity = capacity;
    }

    boolean full() {
      return length >= capacity;
    }

    /**
     * Adds the bucket [begin, end] holding {@code n} values, at its midpoint; the split's first bucket
     * sets its max and the one that fills it its min.
     */
    void add(double begin, double end, long n) {
      values.add((begin + end) / 2);
      counts.add((double) n);
      length++;
      count += n;
      if (length == 1) {
        max = end;
      }
      if (full()) {
        min = begin;
      }
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>(6);
      m.put("Values", values);
      m.put("Counts", counts);
      m.put("Max", max);
      m.put("Min", min);
      m.put("Count", unsigned(count));
      m.put("Sum", sum);
      return m;
    }
  }

  /**
   * Values are bucket midpoints from the highest bucket down (positive, zero, negative), at most
   * {@link #SPLIT_THRESHOLD} non-empty buckets per split; only the first split carries the sum, and
   * each split's min/max are its bucket bounds except the outermost, which keep the point's.
   */
  @Nullable
  List<DataPoint> exponentialHistogram(String name, ExponentialHistogramDataPoint p, Context c) {
    double pMax = p.hasMax() ? p.getMax() : 0;
    double pMin = p.hasMin() ? p.getMin() : 0;
    double pSum = p.hasSum() ? p.getSum() : 0;
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || !Double.isFinite(pMax) || !Double.isFinite(pMin)
        || !Double.isFinite(pSum)) {
      log.debug("Dropped stale, NaN or Inf exponential histogram of {}", name);
      return null;
    }
    Map<String, String> labels = c.labels(p.getAttributesList());
    long ts = millis(p.getTimeUnixNano());
    List<Long> positive = p.getPositive().getBucketCountsList();
    List<Long> negative = p.getNegative().getBucketCountsList();
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    int total = positive.size() + negative.size() + (p.getZeroCount() > 0 ? 1 : 0);
    int bucket = 0;
    int posIndex = positive.size() - 1;
    boolean zeroDone = false;
    int negIndex = 0;
    List<Split> splits = new ArrayList<>();
    while (bucket < total) {
      Split split = new Split(pMax, pMin, bucket == 0 ? pSum : 0, Math.min(SPLIT_THRESHOLD, total - bucket));
      // Positive buckets, highest first.
      double begin = 0;
      double end = 0;
      while (!split.full() && posIndex >= 0) {
        int index = posIndex + p.getPositive().getOffset();
        end = end == 0 ? Math.pow(base, index + 1) : begin;
        begin = Math.pow(base, index);
        long n = positive.get(posIndex);
        if (n > 0) {
          split.add(begin, end, n);
        }
        bucket++;
        posIndex--;
      }
      if (p.getZeroCount() > 0 && !split.full() && !zeroDone) {
        split.add(0, 0, p.getZeroCount());
        zeroDone = true;
        bucket++;
      }
      begin = 0;
      end = 0;
      while (!split.full() && negIndex < negative.size()) {
        int index = negIndex + p.getNegative().getOffset();
        end = end == 0 ? -Math.pow(base, index) : begin;
        begin = -Math.pow(base, index + 1);
        long n = negative.get(negIndex);
        if (n > 0) {
          split.add(begin, end, n);
        }
        bucket++;
        negIndex++;
      }
      if (split.length > 0) {
        splits.add(split);
      }
    }
    if (splits.isEmpty()) {
      Split only = new Split(pMax, pMin, pSum, 0);
      only.count = p.getCount();
      return List.of(new DataPoint(name, only.json(), labels, ts));
    }
    splits.get(0).max = pMax;
    splits.get(splits.size() - 1).min = pMin;
    List<DataPoint> out = new ArrayList<>(splits.size());
    for (Split s : splits) {
      out.add(new DataPoint(name, s.json(), new LinkedHashMap<>(labels), ts));
    }
    return out;
  }

  @Nullable
  List<DataPoint> summary(String name, SummaryDataPoint p, boolean cumulative, Context c) {
    boolean bad = (p.getFlags() & NO_RECORDED_VALUE) != 0 || !Double.isFinite(p.getSum());
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      bad |= !Double.isFinite(q.getValue()) || !Double.isFinite(q.getQuantile());
    }
    if (bad) {
      log.debug("Dropped stale, NaN or Inf summary of {}", name);
      return null;
    }
    Map<String, String> labels = c.labels(p.getAttributesList());
    long ts = millis(p.getTimeUnixNano());
    double sum = p.getSum();
    long count = p.getCount();
    if (cumulative) {
      DeltaCache.Result<SummaryEntry> r =
          summaryDeltas.update(c.deltaKey(name, labels), new SummaryEntry(sum, count), ts);
      if (r.first()) {
        if (!retainInitialValue) {
          return null;
        }
      } else {
        // Go subtracts uint64 counts: a reset wraps around, and so does this (written unsigned).
        sum = r.delta().sum;
        count = r.delta().count;
      }
    }
    List<DataPoint> out = new ArrayList<>();
    List<SummaryDataPoint.ValueAtQuantile> qs = p.getQuantileValuesList();
    if (detailedMetrics) {
      out.add(new DataPoint(name + "_sum", sum, labels, ts));
      out.add(new DataPoint(name + "_count", new UnsignedLong(count), labels, ts));
      for (SummaryDataPoint.ValueAtQuantile q : qs) {
        Map<String, String> ql = new LinkedHashMap<>(labels);
        ql.put("quantile", EmfLabels.formatG(q.getQuantile()));
        out.add(new DataPoint(name, q.getValue(), ql, ts));
      }
    } else {
      double min = qs.isEmpty() ? 0 : qs.get(0).getValue();
      double max = qs.isEmpty() ? 0 : qs.get(qs.size() - 1).getValue();
      out.add(new DataPoint(name, new Stats(max, min, count, sum), labels, ts));
    }
    return out;
  }
}
