package dev.kansoku.contrib.metricstransformprocessor;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Contrib's aggregateutil: data points of equal attributes and timestamps (and, for delta temporality,
 * start times; for histograms, bounds) are merged into one — numbers by sum, mean, min, max, median or
 * count, histograms by adding counts. Groups keep the order in which they were first seen. Summaries
 * are not merged, so aggregating a summary leaves it without data points, as upstream does.
 */
enum Aggregation {
  SUM, MEAN, MIN, MAX, MEDIAN, COUNT;

  static final List<String> NAMES = List.of("sum", "mean", "min", "max", "median", "count");

  static Aggregation of(String name) {
    return values()[NAMES.indexOf(name)];
  }

  /** One metric (of the first's type and details) holding the merged points of {@code metrics}. */
  Metric merge(Metric shape, List<Metric> metrics) {
    Metric.Builder out = details(shape);
    switch (shape.getDataCase()) {
      case GAUGE, SUM -> {
        Map<Object, List<NumberDataPoint>> groups = new LinkedHashMap<>();
        for (Metric m : metrics) {
          boolean delta = m.hasSum() && m.getSum().getAggregationTemporality()
              == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
          List<NumberDataPoint> points = m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList();
          group(groups, points, p -> List.of(key(p.getAttributesList()), p.getTimeUnixNano(),
              delta ? p.getStartTimeUnixNano() : -1L), m.getDataCase() == shape.getDataCase());
        }
        List<NumberDataPoint> merged = groups.values().stream().map(this::numbers).toList();
        if (shape.hasSum()) {
          out.getSumBuilder().addAllDataPoints(merged);
        } else {
          out.getGaugeBuilder().addAllDataPoints(merged);
        }
      }
      case HISTOGRAM -> {
        Map<Object, List<HistogramDataPoint>> groups = new LinkedHashMap<>();
        for (Metric m : metrics) {
          boolean delta = m.getHistogram().getAggregationTemporality()
              == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
          group(groups, m.getHistogram().getDataPointsList(), p -> List.of(key(p.getAttributesList()),
              p.getTimeUnixNano(), p.getExplicitBoundsList(), delta ? p.getStartTimeUnixNano() : -1L, p.hasMin(),
              p.hasMax(), p.getFlags()), m.hasHistogram());
        }
        groups.values().forEach(g -> out.getHistogramBuilder().addDataPoints(histograms(g)));
      }
      case EXPONENTIAL_HISTOGRAM -> {
        Map<Object, List<ExponentialHistogramDataPoint>> groups = new LinkedHashMap<>();
        for (Metric m : metrics) {
          boolean delta = m.getExponentialHistogram().getAggregationTemporality()
              == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
          group(groups, m.getExponentialHistogram().getDataPointsList(), p -> List.of(key(p.getAttributesList()),
              p.getTimeUnixNano(), p.getScale(), p.hasMin(), p.hasMax(), p.getFlags(), p.getNegative().getOffset(),
              p.getPositive().getOffset(), delta ? p.getStartTimeUnixNano() : -1L), m.hasExponentialHistogram());
        }
        groups.values().forEach(g -> out.getExponentialHistogramBuilder().addDataPoints(exponential(g)));
      }
      default -> {
        // summaries (and metrics without data) are not merged
      }
    }
    return out.build();
  }

  /** Name, unit, description and the type with its temporality and monotonicity, without points. */
  static Metric.Builder details(Metric m) {
    Metric.Builder b = Metric.newBuilder().setName(m.getName()).setUnit(m.getUnit()).setDescription(m.getDescription());
    switch (m.getDataCase()) {
      case GAUGE -> b.getGaugeBuilder();
      case SUM -> b.getSumBuilder().setAggregationTemporality(m.getSum().getAggregationTemporality())
          .setIsMonotonic(m.getSum().getIsMonotonic());
      case HISTOGRAM -> b.getHistogramBuilder().setAggregationTemporality(m.getHistogram().getAggregationTemporality());
      case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder()
          .setAggregationTemporality(m.getExponentialHistogram().getAggregationTemporality());
      case SUMMARY -> b.getSummaryBuilder();
      default -> {
        // no data
      }
    }
    return b;
  }

  private static <P> void group(Map<Object, List<P>> groups, List<P> points, Function<P, Object> key, boolean sameType) {
    if (!sameType) {
      return; // canBeCombined keeps other types out; an aggregation never mixes them
    }
    for (P p : points) {
      groups.computeIfAbsent(key.apply(p), k -> new ArrayList<>()).add(p);
    }
  }

  /** Attributes as pdata's AsRaw map: order does not matter, a repeated key counts once. */
  private static Map<String, AnyValue> key(List<KeyValue> attrs) {
    Map<String, AnyValue> m = new TreeMap<>();
    for (KeyValue kv : attrs) {
      m.putIfAbsent(kv.getKey(), kv.getValue());
    }
    return m;
  }

  private NumberDataPoint numbers(List<NumberDataPoint> g) {
    NumberDataPoint.Builder dp = g.get(0).toBuilder();
    boolean isDouble = dp.hasAsDouble();
    double d = dp.getAsDouble();
    long n = dp.getAsInt();
    double[] doubles = new double[g.size()];
    long[] ints = new long[g.size()];
    doubles[0] = d;
    ints[0] = n;
    for (int i = 1; i < g.size(); i++) {
      NumberDataPoint p = g.get(i);
      double pd = p.hasAsDouble() ? p.getAsDouble() : p.getAsInt();
      long pi = p.hasAsDouble() ? (long) p.getAsDouble() : p.getAsInt(); // Go's int64(float64) truncates
      doubles[i] = pd;
      ints[i] = pi;
      switch (this) {
        case SUM, MEAN -> {
          d += pd;
          n += p.getAsInt(); // upstream adds IntValue(), which is 0 for a double point
        }
        case MAX -> {
          d = Math.max(d, pd);
          n = Math.max(n, pi);
        }
        case MIN -> {
          d = Math.min(d, pd);
          n = Math.min(n, pi);
        }
        case COUNT -> {
          d = g.size();
          n = g.size();
        }
        case MEDIAN -> {
          // computed below from all values
        }
      }
      if (p.getStartTimeUnixNano() < dp.getStartTimeUnixNano()) {
        dp.setStartTimeUnixNano(p.getStartTimeUnixNano());
      }
    }
    if (this == MEAN) {
      d /= g.size();
      n /= g.size();
    }
    if (this == MEDIAN) {
      Arrays.sort(doubles);
      Arrays.sort(ints);
      int mid = g.size() / 2;
      d = g.size() % 2 != 0 ? doubles[mid] : (doubles[mid - 1] + doubles[mid]) / 2;
      n = g.size() % 2 != 0 ? ints[mid] : (ints[mid - 1] + ints[mid]) / 2;
    }
    return (isDouble ? dp.setAsDouble(d) : dp.setAsInt(n)).build();
  }

  private static HistogramDataPoint histograms(List<HistogramDataPoint> g) {
    HistogramDataPoint.Builder dp = g.get(0).toBuilder();
    for (HistogramDataPoint p : g.subList(1, g.size())) {
      if (p.getCount() == 0) {
        continue;
      }
      dp.setCount(dp.getCount() + p.getCount()).setSum(dp.getSum() + p.getSum());
      if (dp.hasMin() && dp.getMin() > p.getMin()) {
        dp.setMin(p.getMin());
      }
      if (dp.hasMax() && dp.getMax() < p.getMax()) {
        dp.setMax(p.getMax());
      }
      for (int b = 0; b < Math.min(p.getBucketCountsCount(), dp.getBucketCountsCount()); b++) {
        dp.setBucketCounts(b, dp.getBucketCounts(b) + p.getBucketCounts(b));
      }
      dp.addAllExemplars(p.getExemplarsList());
      if (p.getStartTimeUnixNano() < dp.getStartTimeUnixNano()) {
        dp.setStartTimeUnixNano(p.getStartTimeUnixNano());
      }
    }
    return dp.build();
  }

  private static ExponentialHistogramDataPoint exponential(List<ExponentialHistogramDataPoint> g) {
    ExponentialHistogramDataPoint.Builder dp = g.get(0).toBuilder();
    for (ExponentialHistogramDataPoint p : g.subList(1, g.size())) {
      if (p.getCount() == 0) {
        continue;
      }
      dp.setCount(dp.getCount() + p.getCount()).setSum(dp.getSum() + p.getSum());
      if (dp.hasMin() && dp.getMin() > p.getMin()) {
        dp.setMin(p.getMin());
      }
      if (dp.hasMax() && dp.getMax() < p.getMax()) {
        dp.setMax(p.getMax());
      }
      var neg = dp.getNegativeBuilder();
      for (int b = 0; b < Math.min(p.getNegative().getBucketCountsCount(), neg.getBucketCountsCount()); b++) {
        neg.setBucketCounts(b, neg.getBucketCounts(b) + p.getNegative().getBucketCounts(b));
      }
      var pos = dp.getPositiveBuilder();
      for (int b = 0; b < Math.min(p.getPositive().getBucketCountsCount(), pos.getBucketCountsCount()); b++) {
        pos.setBucketCounts(b, pos.getBucketCounts(b) + p.getPositive().getBucketCounts(b));
      }
      dp.addAllExemplars(p.getExemplarsList());
      if (p.getStartTimeUnixNano() < dp.getStartTimeUnixNano()) {
        dp.setStartTimeUnixNano(p.getStartTimeUnixNano());
      }
    }
    return dp.build();
  }
}
