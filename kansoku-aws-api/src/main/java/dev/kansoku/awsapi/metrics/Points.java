package dev.kansoku.awsapi.metrics;

import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.Quantile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How CloudWatch's value shapes (one value, Values+Counts, a statistic set) become store points, for
 * PutMetricData and EMF alike. Raw samples stay samples so that percentiles are exact; only large
 * value/count distributions are folded into a histogram whose buckets end at the distinct values.
 */
final class Points {
  /** Up to this many samples per datum are stored one by one. */
  static final long MAX_EXPANDED = 10_000;

  private Points() {}

  static MetricPoint value(String ns, String name, String unit, Map<String, String> dims, long nanos, double v) {
    return MetricPoint.value(ns, name, unit, dims, nanos, MetricKind.GAUGE, v);
  }

  /** {@code values[i]} seen {@code counts[i]} times. */
  static void distribution(List<MetricPoint> out, String ns, String name, String unit, Map<String, String> dims,
      long nanos, double[] values, double[] counts) {
    double total = 0;
    boolean integral = true;
    for (double c : counts) {
      total += c;
      integral &= c == Math.rint(c);
    }
    if (integral && total <= MAX_EXPANDED) {
      for (int i = 0; i < values.length; i++) {
        for (long k = 0; k < (long) counts[i]; k++) {
          out.add(value(ns, name, unit, dims, nanos, values[i]));
        }
      }
      return;
    }
    TreeMap<Double, Double> byValue = new TreeMap<>();
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      byValue.merge(values[i], counts[i], Double::sum);
      sum += values[i] * counts[i];
    }
    List<Double> bounds = new ArrayList<>(byValue.keySet());
    List<Long> bucketCounts = new ArrayList<>();
    byValue.values().forEach(c -> bucketCounts.add(Math.round(c)));
    bucketCounts.add(0L);
    out.add(MetricPoint.histogram(ns, name, unit, dims, nanos, Math.round(total), sum, byValue.firstKey(),
        byValue.lastKey(), bounds, bucketCounts));
  }

  /**
   * A statistic set. When every sample was the same value (min = max) the samples are known exactly
   * and are stored as such; otherwise a summary whose 0 and 1 quantiles are min and max, so that
   * Minimum/Maximum stay exact and percentiles fall back to the nearest of the two, as CloudWatch
   * only computes percentiles from such sets when min = max anyway.
   */
  static void statisticSet(List<MetricPoint> out, String ns, String name, String unit, Map<String, String> dims,
      long nanos, double count, double sum, double min, double max) {
    if (min == max && count == Math.rint(count) && count <= MAX_EXPANDED && count > 0) {
      for (long k = 0; k < (long) count; k++) {
        out.add(value(ns, name, unit, dims, nanos, min));
      }
      return;
    }
    out.add(MetricPoint.summary(ns, name, unit, dims, nanos, Math.round(count), sum,
        List.of(new Quantile(0, min), new Quantile(1, max))));
  }
}
