package dev.kansoku.contrib.statsdreceiver;

import dev.kansoku.contrib.statsdreceiver.StatsdLine.Key;
import dev.kansoku.contrib.statsdreceiver.StatsdLine.Type;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The statsd receiver's aggregation, per sender: gauges keep the last value (or add a +/- delta),
 * counters add up (divided by their sample rate), timings and histograms become a gauge per line, a
 * summary or an exponential histogram as the mapping says. {@link #flush} hands out one request per
 * sender and starts the next interval. Every metric sits in its own scope named after the receiver,
 * under an empty resource, as upstream writes them.
 *
 * <p>Thread-safety: all methods are synchronized; lines arrive from the listener threads while the
 * flush runs on the interval's timer.
 */
final class StatsdAggregator {
  static final String SCOPE = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/statsdreceiver";
  private static final List<Double> DEFAULT_PERCENTILES = List.of(0.0, 10.0, 50.0, 90.0, 95.0, 100.0);

  /** What timings, or histograms and distributions, become: gauge, summary, histogram, or disabled (dropped). */
  record Observer(String method, int maxSize, List<Double> percentiles) {
    static final Observer DISABLED = new Observer("disabled", 0, List.of());
  }

  /** The aggregation settings; how senders are told apart is the caller's (see {@link #aggregate}). */
  record Settings(boolean metricType, boolean simpleTags, boolean monotonic, String counterType, Observer timers,
      Observer histograms, String version) {}

  private static final class Counter {
    double value;
    long ints;
    long timestamp;
  }

  private static final class LastValue {
    double value;
    long timestamp;
  }

  private static final class SummaryValues {
    final List<double[]> pointsAndWeights = new ArrayList<>();
    final List<Double> percentiles;

    SummaryValues(List<Double> percentiles) {
      this.percentiles = percentiles;
    }
  }

  /** One sender's instruments, each kept in the order its first line arrived. */
  private static final class Instruments {
    final Map<Key, LastValue> gauges = new LinkedHashMap<>();
    final List<Metric> timersAndDistributions = new ArrayList<>();
    final Map<Key, Counter> counters = new LinkedHashMap<>();
    final Map<Key, SummaryValues> summaries = new LinkedHashMap<>();
    final Map<Key, ExpoHistogram> histograms = new LinkedHashMap<>();
  }

  private final Settings settings;
  private final LongSupplier clockNanos;
  private final DoubleSupplier random;
  private Map<String, Instruments> bySender = new LinkedHashMap<>();
  private long intervalStart;

  /**
   * @param clockNanos the wall clock in unix nanoseconds
   * @param random uniform in [0, 1), for stochastic_int counters
   */
  StatsdAggregator(Settings settings, LongSupplier clockNanos, DoubleSupplier random) {
    this.settings = settings;
    this.clockNanos = clockNanos;
    this.random = random;
    this.intervalStart = clockNanos.getAsLong();
  }

  /**
   * Adds one line from {@code sender}: lines of one sender aggregate together (the receiver names
   * senders by address, by IP alone, or all alike).
   *
   * @throws IllegalArgumentException saying why the line was not taken, in upstream's words
   */
  synchronized void aggregate(String line, String sender) {
    StatsdLine l = StatsdLine.parse(line, settings.metricType(), settings.simpleTags());
    if (Double.isNaN(l.value()) || Double.isInfinite(l.value())) {
      throw new IllegalArgumentException("discarding metric \"" + l.name() + "\": invalid "
          + (Double.isNaN(l.value()) ? "NaN" : "infinite") + " value");
    }
    Instruments in = bySender.computeIfAbsent(sender, s -> new Instruments());
    switch (l.type()) {
      case GAUGE -> {
        LastValue g = in.gauges.get(l.key());
        if (g != null && l.addition()) {
          g.value += l.value();
        } else {
          g = new LastValue();
          g.value = l.value();
          g.timestamp = clockNanos.getAsLong();
          in.gauges.put(l.key(), g);
        }
      }
      case COUNTER -> {
        Counter c = in.counters.get(l.key());
        if (c == null) {
          c = new Counter();
          c.timestamp = l.timestamp();
          in.counters.put(l.key(), c);
        }
        double v = l.counterValue();
        c.value += v;
        c.ints += settings.counterType().equals("stochastic_int") ? stochastic(v) : (long) v;
      }
      default -> observe(in, l, l.type() == Type.TIMING ? settings.timers() : settings.histograms());
    }
  }

  /** Rounds up with a probability equal to the fraction, so sums stay right on average. */
  private long stochastic(double v) {
    double floor = Math.floor(v);
    return (long) floor + (random.getAsDouble() < v - floor ? 1 : 0);
  }

  private void observe(Instruments in, StatsdLine l, Observer o) {
    switch (o.method()) {
      case "gauge" -> in.timersAndDistributions.add(gauge(l.key(), l.value(), clockNanos.getAsLong()));
      case "summary" -> in.summaries.computeIfAbsent(l.key(), k -> new SummaryValues(o.percentiles()))
          .pointsAndWeights.add(new double[] {l.value(), l.sampleCount()});
      case "histogram" -> in.histograms.computeIfAbsent(l.key(), k -> new ExpoHistogram(o.maxSize()))
          .update(l.value(), (long) l.sampleCount()); // a fractional count is truncated, as upstream's uint64()
      default -> {
        // disabled: the mapping does not name this type
      }
    }
  }

  /** The aggregated metrics of the interval now ending, one request per sender that sent any; starts the next interval. */
  synchronized List<ExportMetricsServiceRequest> flush() {
    long now = clockNanos.getAsLong();
    List<ExportMetricsServiceRequest> out = new ArrayList<>();
    for (Instruments in : bySender.values()) {
      ResourceMetrics.Builder rm = ResourceMetrics.newBuilder();
      in.gauges.forEach((k, g) -> addScope(rm, gauge(k, g.value, g.timestamp)));
      in.timersAndDistributions.forEach(m -> addScope(rm, m));
      in.counters.forEach((k, c) -> addScope(rm, counter(k, c, now)));
      in.summaries.forEach((k, s) -> addScope(rm, summary(k, s, now)));
      in.histograms.forEach((k, h) -> addScope(rm, Metric.newBuilder().setName(k.name())
          .setExponentialHistogram(ExponentialHistogram.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
              .addDataPoints(h.toPoint().setStartTimeUnixNano(intervalStart).setTimeUnixNano(now)
                  .addAllAttributes(attributes(k)))).build()));
      if (rm.getScopeMetricsCount() > 0) {
        out.add(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build());
      }
    }
    bySender = new LinkedHashMap<>();
    intervalStart = now;
    return out;
  }

  private void addScope(ResourceMetrics.Builder rm, Metric m) {
    rm.addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE)
        .setVersion(settings.version())).addMetrics(m));
  }

  private static Metric gauge(Key k, double value, long time) {
    return Metric.newBuilder().setName(k.name()).setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
        .setAsDouble(value).setTimeUnixNano(time).addAllAttributes(attributes(k)))).build();
  }

  private Metric counter(Key k, Counter c, long now) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setStartTimeUnixNano(intervalStart)
        .setTimeUnixNano(c.timestamp != 0 ? c.timestamp : now).addAllAttributes(attributes(k));
    if (settings.counterType().equals("float")) {
      p.setAsDouble(c.value);
    } else {
      p.setAsInt(c.ints);
    }
    return Metric.newBuilder().setName(k.name()).setSum(Sum.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .setIsMonotonic(settings.monotonic()).addDataPoints(p)).build();
  }

  private Metric summary(Key k, SummaryValues s, long now) {
    double count = 0;
    double sum = 0;
    for (double[] pw : s.pointsAndWeights) {
      count += pw[1];
      sum += pw[0] * pw[1];
    }
    List<double[]> sorted = new ArrayList<>(s.pointsAndWeights);
    sorted.sort((a, b) -> Double.compare(a[0], b[0]));
    double total = 0;
    for (double[] pw : sorted) {
      total += pw[1];
    }
    SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().setCount((long) count).setSum(sum)
        .setStartTimeUnixNano(intervalStart).setTimeUnixNano(now).addAllAttributes(attributes(k));
    for (double pct : s.percentiles.isEmpty() ? DEFAULT_PERCENTILES : s.percentiles) {
      p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(pct / 100)
          .setValue(empiricalQuantile(pct / 100, sorted, total)));
    }
    return Metric.newBuilder().setName(k.name()).setSummary(Summary.newBuilder().addDataPoints(p)).build();
  }

  /** gonum's stat.Quantile with Empirical: the first value whose cumulative weight reaches p × total. */
  static double empiricalQuantile(double p, List<double[]> sortedPointsAndWeights, double totalWeight) {
    double target = p * totalWeight;
    double cumulative = 0;
    for (double[] pw : sortedPointsAndWeights) {
      cumulative += pw[1];
      if (cumulative >= target) {
        return pw[0];
      }
    }
    return sortedPointsAndWeights.get(sortedPointsAndWeights.size() - 1)[0];
  }

  private static List<KeyValue> attributes(Key k) {
    List<KeyValue> out = new ArrayList<>(k.attributes().size());
    k.attributes().forEach((key, v) -> out.add(KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(v)).build()));
    return out;
  }
}
