package dev.kansoku.contrib.metricstransformprocessor;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The data points of a metric of any type, seen through their attributes: what pdata's
 * {@code RangeDataPointAttributes} and {@code RemoveIf} do on mutable metrics, here on immutable
 * ones, returning a new metric only when something changed.
 */
final class Points {
  private Points() {}

  /** The attributes of each data point, in order; empty for a metric without data. */
  static List<List<KeyValue>> attributes(Metric m) {
    List<List<KeyValue>> out = new ArrayList<>();
    switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList().forEach(p -> out.add(p.getAttributesList()));
      case SUM -> m.getSum().getDataPointsList().forEach(p -> out.add(p.getAttributesList()));
      case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(p -> out.add(p.getAttributesList()));
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList()
          .forEach(p -> out.add(p.getAttributesList()));
      case SUMMARY -> m.getSummary().getDataPointsList().forEach(p -> out.add(p.getAttributesList()));
      default -> {
        // no data: no points
      }
    }
    return out;
  }

  static int count(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  /**
   * Each point's attributes replaced by {@code f(index, attributes)}; {@code m} itself when {@code f}
   * returned every list unchanged (the same object).
   */
  static Metric withAttributes(Metric m, BiFunction<Integer, List<KeyValue>, List<KeyValue>> f) {
    List<List<KeyValue>> before = attributes(m);
    List<List<KeyValue>> after = new ArrayList<>(before.size());
    boolean changed = false;
    for (int i = 0; i < before.size(); i++) {
      List<KeyValue> a = f.apply(i, before.get(i));
      changed |= a != before.get(i);
      after.add(a);
    }
    if (!changed) {
      return m;
    }
    Metric.Builder b = m.toBuilder();
    for (int i = 0; i < after.size(); i++) {
      if (after.get(i) == before.get(i)) {
        continue;
      }
      List<KeyValue> a = after.get(i);
      switch (m.getDataCase()) {
        case GAUGE -> b.getGaugeBuilder().getDataPointsBuilder(i).clearAttributes().addAllAttributes(a);
        case SUM -> b.getSumBuilder().getDataPointsBuilder(i).clearAttributes().addAllAttributes(a);
        case HISTOGRAM -> b.getHistogramBuilder().getDataPointsBuilder(i).clearAttributes().addAllAttributes(a);
        case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder().getDataPointsBuilder(i).clearAttributes()
            .addAllAttributes(a);
        case SUMMARY -> b.getSummaryBuilder().getDataPointsBuilder(i).clearAttributes().addAllAttributes(a);
        default -> throw new IllegalStateException("points without data");
      }
    }
    return b.build();
  }

  /** Only the points whose attributes pass {@code keep}; {@code m} itself when all pass. */
  static Metric retain(Metric m, Predicate<List<KeyValue>> keep) {
    List<List<KeyValue>> attrs = attributes(m);
    if (attrs.stream().allMatch(keep)) {
      return m;
    }
    Metric.Builder b = m.toBuilder();
    for (int i = attrs.size() - 1; i >= 0; i--) {
      if (keep.test(attrs.get(i))) {
        continue;
      }
      switch (m.getDataCase()) {
        case GAUGE -> b.getGaugeBuilder().removeDataPoints(i);
        case SUM -> b.getSumBuilder().removeDataPoints(i);
        case HISTOGRAM -> b.getHistogramBuilder().removeDataPoints(i);
        case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder().removeDataPoints(i);
        case SUMMARY -> b.getSummaryBuilder().removeDataPoints(i);
        default -> throw new IllegalStateException("points without data");
      }
    }
    return b.build();
  }

  /** The string form pdata's {@code Value.Str()} gives: the string of a string value, "" for any other type. */
  static String str(KeyValue kv) {
    return kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : "";
  }
}
