package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric data point, CloudWatch-style addressed by namespace, name and dimensions.
 *
 * <p>GAUGE and SUM points carry {@code value}; HISTOGRAM points carry {@code count}, {@code sum},
 * {@code min}/{@code max} (NaN when the sender did not record them) and {@code bucketCounts}, one
 * more than {@code bucketBounds} (OTLP's explicit bounds: bucket i holds values ≤ bounds[i], the last
 * bucket the rest); SUMMARY points carry {@code count}, {@code sum} and {@code quantiles}. Fields a
 * kind does not use are 0, NaN or empty. Immutable, thread-safe; time in epoch nanoseconds.
 */
public record MetricPoint(
    String namespace,
    String name,
    String unit,
    Map<String, String> dimensions,
    long timeNanos,
    MetricKind kind,
    double value,
    long count,
    double sum,
    double min,
    double max,
    List<Double> bucketBounds,
    List<Long> bucketCounts,
    List<Quantile> quantiles) {

  public MetricPoint {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    unit = unit == null ? "" : unit;
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace: empty");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
    }
    dimensions = dimensions == null || dimensions.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(dimensions));
    bucketBounds = bucketBounds == null ? List.of() : List.copyOf(bucketBounds);
    bucketCounts = bucketCounts == null ? List.of() : List.copyOf(bucketCounts);
    quantiles = quantiles == null ? List.of() : List.copyOf(quantiles);
    if (!bucketCounts.isEmpty() && bucketCounts.size() != bucketBounds.size() + 1) {
      throw new IllegalArgumentException("bucketCounts: " + bucketCounts.size() + " counts for " + bucketBounds.size()
          + " bounds (expected: bounds + 1)");
    }
    for (int i = 1; i < bucketBounds.size(); i++) {
      if (!(bucketBounds.get(i) > bucketBounds.get(i - 1))) {
        throw new IllegalArgumentException("bucketBounds: not increasing at index " + i + ": " + bucketBounds);
      }
    }
  }

  /** A gauge or sum point holding one value. */
  public static MetricPoint value(String namespace, String name, String unit, Map<String, String> dimensions,
      long timeNanos, MetricKind kind, double value) {
    if (kind != MetricKind.GAUGE && kind != MetricKind.SUM) {
      throw new IllegalArgumentException("kind: " + kind + " (expected: GAUGE or SUM for a single value)");
    }
    return new MetricPoint(namespace, name, unit, dimensions, timeNanos, kind, value, 0, 0, Double.NaN, Double.NaN,
        List.of(), List.of(), List.of());
  }

  /** A histogram point; {@code min}/{@code max} may be NaN. */
  public static MetricPoint histogram(String namespace, String name, String unit, Map<String, String> dimensions,
      long timeNanos, long count, double sum, double min, double max, List<Double> bounds, List<Long> counts) {
    return new MetricPoint(namespace, name, unit, dimensions, timeNanos, MetricKind.HISTOGRAM, 0, count, sum, min, max,
        bounds, counts, List.of());
  }

  /** A summary point. */
  public static MetricPoint summary(String namespace, String name, String unit, Map<String, String> dimensions,
      long timeNanos, long count, double sum, List<Quantile> quantiles) {
    List<Quantile> sorted = new ArrayList<>(quantiles);
    sorted.sort((a, b) -> Double.compare(a.quantile(), b.quantile()));
    return new MetricPoint(namespace, name, unit, dimensions, timeNanos, MetricKind.SUMMARY, 0, count, sum, Double.NaN,
        Double.NaN, List.of(), List.of(), sorted);
  }
}
