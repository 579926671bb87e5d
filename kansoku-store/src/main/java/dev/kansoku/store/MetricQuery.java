package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric query with CloudWatch GetMetricData semantics: the points of {@code namespace}/{@code
 * name} whose dimensions equal {@code dimensions} (EXACT, CloudWatch's rule) or include them (SUBSET,
 * the console's "one series per dimension set"), in [{@code startNanos}, {@code endNanos}), grouped
 * into periods aligned to multiples of {@code periodSeconds} since the epoch, each period reduced to
 * the requested statistics by {@link MetricStats}. Immutable.
 */
public record MetricQuery(
    String namespace,
    String name,
    Map<String, String> dimensions,
    DimensionMatch dimensionMatch,
    long startNanos,
    long endNanos,
    long periodSeconds,
    List<Statistic> statistics) {

  public enum DimensionMatch { EXACT, SUBSET }

  public MetricQuery {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    dimensions = Map.copyOf(dimensions);
    requireNonNull(dimensionMatch, "dimensionMatch");
    statistics = List.copyOf(statistics);
  }

  public static Builder builder(String namespace, String name) {
    return new Builder(namespace, name);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final String name;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private DimensionMatch dimensionMatch = DimensionMatch.EXACT;
    private long startNanos = -1;
    private long endNanos = -1;
    private long periodSeconds = 60;
    private final List<Statistic> statistics = new ArrayList<>();

    Builder(String namespace, String name) {
      this.namespace = requireNonNull(namespace, "namespace");
      this.name = requireNonNull(name, "name");
    }

    public Builder dimension(String key, String value) {
      dimensions.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public Builder dimensionMatch(DimensionMatch v) { dimensionMatch = requireNonNull(v, "dimensionMatch"); return this; }

    public Builder window(Instant start, Instant end) {
      return window(TraceQuery.nanos(requireNonNull(start, "start")), TraceQuery.nanos(requireNonNull(end, "end")));
    }

    public Builder window(long startNanos, long endNanos) {
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      return this;
    }

    public Builder period(Duration v) {
      if (v.getNano() != 0) {
        throw new IllegalArgumentException("period: " + v + " (expected: whole seconds)");
      }
      periodSeconds = v.getSeconds();
      return this;
    }

    public Builder periodSeconds(long v) { periodSeconds = v; return this; }
    public Builder statistic(Statistic v) { statistics.add(requireNonNull(v, "statistic")); return this; }
    public Builder statistic(String v) { return statistic(Statistic.parse(v)); }

    public MetricQuery build() {
      if (namespace.isEmpty()) {
        throw new IllegalArgumentException("namespace: empty");
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name: empty");
      }
      if (startNanos < 0 || endNanos < 0) {
        throw new IllegalArgumentException("window: not set (CloudWatch requires StartTime and EndTime)");
      }
      if (endNanos <= startNanos) {
        throw new IllegalArgumentException("end <= start: " + Instant.ofEpochSecond(0, endNanos) + " <= "
            + Instant.ofEpochSecond(0, startNanos));
      }
      if (periodSeconds <= 0) {
        throw new IllegalArgumentException("period <= 0: " + periodSeconds + " s");
      }
      if (statistics.isEmpty()) {
        throw new IllegalArgumentException("statistics: none (expected: at least one of Sum, Average, Minimum, Maximum, "
            + "SampleCount, pNN)");
      }
      return new MetricQuery(namespace, name, dimensions, dimensionMatch, startNanos, endNanos, periodSeconds,
          statistics);
    }
  }
}
