package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One time series of a metric query: the periods that had data (their start, epoch nanoseconds,
 * ascending) and, per requested statistic, one value per period. Immutable.
 */
public record MetricSeries(
    String namespace,
    String name,
    String unit,
    Map<String, String> dimensions,
    List<Long> timestamps,
    Map<Statistic, List<Double>> values) {

  public MetricSeries {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(unit, "unit");
    dimensions = Map.copyOf(dimensions);
    timestamps = List.copyOf(timestamps);
    values = Map.copyOf(values);
    for (Map.Entry<Statistic, List<Double>> e : values.entrySet()) {
      if (e.getValue().size() != timestamps.size()) {
        throw new IllegalArgumentException(e.getKey() + ": " + e.getValue().size() + " values for " + timestamps.size()
            + " timestamps");
      }
    }
  }

  public List<Double> values(Statistic s) {
    List<Double> v = values.get(s);
    if (v == null) {
      throw new IllegalArgumentException("statistic " + s + " was not requested (have: " + values.keySet() + ")");
    }
    return v;
  }
}
