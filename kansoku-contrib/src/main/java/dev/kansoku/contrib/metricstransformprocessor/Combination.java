package dev.kansoku.contrib.metricstransformprocessor;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/** Upstream's canBeCombined: the metrics a combine merges share type, unit, label keys and temporality. */
final class Combination {
  private Combination() {}

  /** Why {@code metrics} cannot be combined, in upstream's words, or null when they can. */
  @Nullable
  static String problem(List<Metric> metrics) {
    if (metrics.size() <= 1) {
      return null;
    }
    Metric first = null;
    for (Metric m : metrics) {
      if (m.hasSummary()) {
        return "Summary metrics cannot be combined: " + m.getName() + " ";
      }
      if (first == null) {
        first = m;
        continue;
      }
      String pair = first.getName() + " (%s) and " + m.getName() + " (%s)";
      if (first.getDataCase() != m.getDataCase()) {
        return "metrics cannot be combined as they are of different types: " + pair.formatted(type(first), type(m));
      }
      if (!first.getUnit().equals(m.getUnit())) {
        return "metrics cannot be combined as they have different units: " + pair.formatted(first.getUnit(), m.getUnit());
      }
      Set<String> a = keys(first);
      Set<String> b = keys(m);
      if (!a.equals(b)) {
        return "metrics cannot be combined as they have different attributes: " + pair.formatted(goMap(a), goMap(b));
      }
      AggregationTemporality ta = temporality(first);
      AggregationTemporality tb = temporality(m);
      if (ta != tb) {
        return "metrics cannot be combined as they have different aggregation temporalities: "
            + pair.formatted(temporalityName(ta), temporalityName(tb));
      }
      if (first.hasSum() && first.getSum().getIsMonotonic() != m.getSum().getIsMonotonic()) {
        return "metrics cannot be combined as they have different monotonicity: "
            + pair.formatted(first.getSum().getIsMonotonic(), m.getSum().getIsMonotonic());
      }
    }
    return null;
  }

  /** The attribute keys any point of {@code m} carries. */
  static Set<String> keys(Metric m) {
    Set<String> keys = new TreeSet<>();
    Points.attributes(m).forEach(attrs -> attrs.forEach(kv -> keys.add(kv.getKey())));
    return keys;
  }

  private static String goMap(Set<String> keys) {
    return keys.stream().map(k -> k + ":{}").collect(Collectors.joining(" ", "map[", "]"));
  }

  /** pdata's MetricType.String(). */
  private static String type(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> "Gauge";
      case SUM -> "Sum";
      case HISTOGRAM -> "Histogram";
      case EXPONENTIAL_HISTOGRAM -> "ExponentialHistogram";
      case SUMMARY -> "Summary";
      default -> "Empty";
    };
  }

  @Nullable
  private static AggregationTemporality temporality(Metric m) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporality();
      case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality();
      default -> null;
    };
  }

  private static String temporalityName(AggregationTemporality t) {
    return switch (t) {
      case AGGREGATION_TEMPORALITY_DELTA -> "Delta";
      case AGGREGATION_TEMPORALITY_CUMULATIVE -> "Cumulative";
      default -> "Unspecified";
    };
  }
}
