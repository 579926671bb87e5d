package dev.kansoku.contrib.statsdreceiver;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.statsdreceiver.StatsdAggregator.Observer;
import dev.kansoku.contrib.statsdreceiver.StatsdAggregator.Settings;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's TestStatsDParser_* cases: what an interval's lines flush as. */
class StatsdAggregatorTest {
  private static final long START = 611_000_000_000L;
  private static final long NOW = 711_000_000_000L;
  private static final Observer GAUGE = new Observer("gauge", 0, List.of());
  private static final Observer SUMMARY = new Observer("summary", 0, List.of());

  private final long[] clock = {START};

  private StatsdAggregator aggregator(boolean metricType, boolean monotonic, String counterType, Observer timers,
      Observer histograms) {
    clock[0] = START;
    StatsdAggregator a = new StatsdAggregator(new Settings(metricType, false, monotonic, counterType, timers, histograms,
        "dev-0.0.1"), () -> clock[0], () -> 0.5);
    clock[0] = NOW;
    return a;
  }

  private StatsdAggregator aggregator() {
    return aggregator(false, false, "int", GAUGE, GAUGE);
  }

  private static List<Metric> metrics(List<ExportMetricsServiceRequest> flushed) {
    List<Metric> out = new ArrayList<>();
    for (ExportMetricsServiceRequest r : flushed) {
      assertThat(r.getResourceMetrics(0).getResource()).isEqualTo(Resource.getDefaultInstance());
      for (ScopeMetrics sm : r.getResourceMetrics(0).getScopeMetricsList()) {
        assertThat(sm.getScope().getName()).isEqualTo(StatsdAggregator.SCOPE);
        assertThat(sm.getScope().getVersion()).isEqualTo("dev-0.0.1");
        assertThat(sm.getMetricsCount()).isEqualTo(1);
        out.add(sm.getMetrics(0));
      }
    }
    return out;
  }

  private static List<Metric> run(StatsdAggregator a, String... lines) {
    for (String line : lines) {
      a.aggregate(line, "1.2.3.4:5678");
    }
    return metrics(a.flush());
  }

  private static Metric gauge(String name, double value, Object... attributes) {
    return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
        .setAsDouble(value).setTimeUnixNano(NOW).addAllAttributes(attrs(attributes)))).build();
  }

  private static Metric counter(String name, long value, boolean monotonic, Object... attributes) {
    return Metric.newBuilder().setName(name).setSum(Sum.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).setIsMonotonic(monotonic)
        .addDataPoints(NumberDataPoint.newBuilder().setAsInt(value).setStartTimeUnixNano(START).setTimeUnixNano(NOW)
            .addAllAttributes(attrs(attributes)))).build();
  }

  @Test
  void gauges_plusMinusAndReplace() {
    assertThat(run(aggregator(), "statsdTestMetric1:1|g|#mykey:myvalue", "statsdTestMetric2:2|g|#mykey:myvalue",
        "statsdTestMetric1:+1|g|#mykey:myvalue", "statsdTestMetric1:+100|g|#mykey:myvalue",
        "statsdTestMetric1:+10000|g|#mykey:myvalue", "statsdTestMetric2:+5|g|#mykey:myvalue",
        "statsdTestMetric2:+500|g|#mykey:myvalue")).containsExactly(
            gauge("statsdTestMetric1", 10102, "mykey", "myvalue"), gauge("statsdTestMetric2", 507, "mykey", "myvalue"));
    assertThat(run(aggregator(), "statsdTestMetric1:5000|g|#mykey:myvalue", "statsdTestMetric2:10|g|#mykey:myvalue",
        "statsdTestMetric1:-1|g|#mykey:myvalue", "statsdTestMetric2:-5|g|#mykey:myvalue",
        "statsdTestMetric1:-1|g|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue",
        "statsdTestMetric1:-10|g|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue",
        "statsdTestMetric1:-100|g|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue")).containsExactly(
            gauge("statsdTestMetric1", 4885, "mykey", "myvalue"), gauge("statsdTestMetric2", 5, "mykey", "myvalue"));
    assertThat(run(aggregator(), "statsdTestMetric1:5000|g|#mykey:myvalue", "statsdTestMetric1:4000|g|#mykey:myvalue",
        "statsdTestMetric1:+500|g|#mykey:myvalue", "statsdTestMetric1:-400|g|#mykey:myvalue",
        "statsdTestMetric1:+2|g|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue",
        "statsdTestMetric2:365|g|#mykey:myvalue", "statsdTestMetric2:+300|g|#mykey:myvalue",
        "statsdTestMetric2:-200|g|#mykey:myvalue", "statsdTestMetric2:200|g|#mykey:myvalue")).containsExactly(
            gauge("statsdTestMetric1", 4101, "mykey", "myvalue"), gauge("statsdTestMetric2", 200, "mykey", "myvalue"));
  }

  @Test
  void counters_withSampleRates_andGaugesBeside() {
    assertThat(run(aggregator(), "statsdTestMetric1:3000|c|#mykey:myvalue", "statsdTestMetric1:4000|c|#mykey:myvalue",
        "statsdTestMetric2:20|c|@0.8|#mykey:myvalue", "statsdTestMetric2:20|c|@0.8|#mykey:myvalue")).containsExactly(
            counter("statsdTestMetric1", 7000, false, "mykey", "myvalue"),
            counter("statsdTestMetric2", 50, false, "mykey", "myvalue"));
    assertThat(run(aggregator(), "statsdTestMetric1:3000|c|#mykey:myvalue", "statsdTestMetric1:500|g|#mykey:myvalue",
        "statsdTestMetric1:400|g|#mykey:myvalue", "statsdTestMetric1:+20|g|#mykey:myvalue",
        "statsdTestMetric1:4000|c|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue",
        "statsdTestMetric2:20|c|@0.8|#mykey:myvalue", "statsdTestMetric1:+2|g|#mykey:myvalue",
        "statsdTestMetric2:20|c|@0.8|#mykey:myvalue")).containsExactly(
            gauge("statsdTestMetric1", 421, "mykey", "myvalue"),
            counter("statsdTestMetric1", 7000, false, "mykey", "myvalue"),
            counter("statsdTestMetric2", 50, false, "mykey", "myvalue"));
    assertThat(run(aggregator(), "statsdTestMetric1:500|g|#mykey:myvalue", "statsdTestMetric1:400|g|#mykey:myvalue1",
        "statsdTestMetric1:300|g|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue1",
        "statsdTestMetric1:+20|g|#mykey:myvalue", "statsdTestMetric1:-1|g|#mykey:myvalue",
        "statsdTestMetric1:20|c|@0.1|#mykey:myvalue", "statsdTestMetric2:50|c|#mykey:myvalue",
        "statsdTestMetric1:15|c|#mykey:myvalue", "statsdTestMetric2:5|c|@0.2|#mykey:myvalue")).containsExactly(
            gauge("statsdTestMetric1", 319, "mykey", "myvalue"), gauge("statsdTestMetric1", 399, "mykey", "myvalue1"),
            counter("statsdTestMetric1", 215, false, "mykey", "myvalue"),
            counter("statsdTestMetric2", 75, false, "mykey", "myvalue"));
  }

  @Test
  void counters_monotonicFloatStochasticAndTimestamped() {
    assertThat(run(aggregator(true, true, "int", GAUGE, GAUGE), "statsdTestMetric1:3000|c|#mykey:myvalue",
        "statsdTestMetric1:4000|c|#mykey:myvalue")).containsExactly(
            counter("statsdTestMetric1", 7000, true, "metric_type", "counter", "mykey", "myvalue"));
    List<Metric> floats = run(aggregator(false, false, "float", GAUGE, GAUGE), "m1:20|c|@0.8", "m1:20|c|@0.8",
        "m2:0.5|c", "m2:0.25|c");
    assertThat(floats.get(0).getSum().getDataPoints(0).getAsDouble()).isEqualTo(50.0);
    assertThat(floats.get(1).getSum().getDataPoints(0).getAsDouble()).isEqualTo(0.75);
    assertThat(run(aggregator(), "m2:0.5|c", "m2:0.75|c").get(0).getSum().getDataPoints(0).getAsInt()).isZero();
    // stochastic rounding up when the random draw (0.5 here) is below the fraction
    assertThat(run(aggregator(false, false, "stochastic_int", GAUGE, GAUGE), "m:3000|c", "m:4000|c", "m:0.75|c",
        "m:0.25|c").get(0).getSum().getDataPoints(0).getAsInt()).isEqualTo(7001);
    assertThat(run(aggregator(), "m:1|c|T1656581400").get(0).getSum().getDataPoints(0).getTimeUnixNano())
        .isEqualTo(1656581400000000000L);
  }

  @Test
  void timingsHistogramsDistributions_asGauges() {
    assertThat(run(aggregator(), "statsdTestMetric1:500|ms|#mykey:myvalue", "statsdTestMetric1:400|h|#mykey:myvalue",
        "statsdTestMetric1:300|ms|#mykey:myvalue", "statsdTestMetric1:10|h|@0.1|#mykey:myvalue",
        "statsdTestMetric1:100|d|#mykey:myvalue", "statsdTestMetric1:200|d|#mykey:myvalue")).containsExactly(
            gauge("statsdTestMetric1", 500, "mykey", "myvalue"), gauge("statsdTestMetric1", 400, "mykey", "myvalue"),
            gauge("statsdTestMetric1", 300, "mykey", "myvalue"), gauge("statsdTestMetric1", 10, "mykey", "myvalue"),
            gauge("statsdTestMetric1", 100, "mykey", "myvalue"), gauge("statsdTestMetric1", 200, "mykey", "myvalue"));
  }

  @Test
  void summaries_withWeightsAndPercentiles() {
    Observer histograms = new Observer("summary", 0, List.of(0.0, 95.0, 99.0));
    List<Metric> timers = run(aggregator(false, false, "int", SUMMARY, histograms), "statsdTestMetric1:1|ms|#mykey:myvalue",
        "statsdTestMetric2:2|ms|#mykey:myvalue", "statsdTestMetric1:1|ms|#mykey:myvalue",
        "statsdTestMetric1:10|ms|#mykey:myvalue", "statsdTestMetric1:20|ms|#mykey:myvalue",
        "statsdTestMetric2:5|ms|#mykey:myvalue", "statsdTestMetric2:10|ms|#mykey:myvalue",
        "statsdTestMetric1:20|ms|#mykey:myvalue");
    SummaryDataPoint p = timers.get(0).getSummary().getDataPoints(0);
    assertThat(p.getCount()).isEqualTo(5);
    assertThat(p.getSum()).isEqualTo(52);
    assertThat(p.getStartTimeUnixNano()).isEqualTo(START);
    assertThat(p.getQuantileValuesList()).extracting(q -> List.of(q.getQuantile(), q.getValue())).containsExactly(
        List.of(0.0, 1.0), List.of(0.1, 1.0), List.of(0.5, 10.0), List.of(0.9, 20.0), List.of(0.95, 20.0),
        List.of(1.0, 20.0));
    List<Metric> sampled = run(aggregator(false, false, "int", SUMMARY, histograms),
        "statsdTestMetric1:300|h|@0.1|#mykey:myvalue", "statsdTestMetric1:100|h|@0.05|#mykey:myvalue",
        "statsdTestMetric1:300|h|@0.1|#mykey:myvalue", "statsdTestMetric1:200|h|@0.01|#mykey:myvalue");
    p = sampled.get(0).getSummary().getDataPoints(0);
    assertThat(p.getCount()).isEqualTo(140);
    assertThat(p.getSum()).isEqualTo(300 * 10 + 100 * 20 + 300 * 10 + 200 * 100);
    assertThat(p.getQuantileValuesList()).extracting(q -> List.of(q.getQuantile(), q.getValue())).containsExactly(
        List.of(0.0, 100.0), List.of(0.95, 300.0), List.of(0.99, 300.0));
  }

  @Test
  void mappings_decideWhatTimersAndHistogramsBecome() {
    Observer off = Observer.DISABLED;
    for (Object[] c : new Object[][] {{GAUGE, SUMMARY, "T:GAUGE", "H:SUMMARY"}, {off, SUMMARY, "H:SUMMARY"},
        {SUMMARY, GAUGE, "H:GAUGE", "T:SUMMARY"}, {GAUGE, off, "T:GAUGE"}}) {
      List<Metric> m = run(aggregator(false, false, "int", (Observer) c[0], (Observer) c[1]), "H:10|h", "T:10|ms");
      assertThat(m).extracting(x -> (Object) (x.getName() + ":" + x.getDataCase()))
          .containsExactlyElementsOf(List.of(c).subList(2, c.length));
    }
  }

  private static ExponentialHistogramDataPoint histogram(String... lines) {
    Observer expo = new Observer("histogram", 10, List.of());
    StatsdAggregator a = new StatsdAggregator(new Settings(false, false, false, "int", expo, expo, "dev-0.0.1"), () -> NOW,
        () -> 0);
    List<Metric> m = run(a, lines);
    assertThat(m).hasSize(1);
    assertThat(m.get(0).getExponentialHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    ExponentialHistogramDataPoint p = m.get(0).getExponentialHistogram().getDataPoints(0);
    assertThat(p.getAttributesList()).isEqualTo(attrs("mykey", "myvalue"));
    return p;
  }

  private static void check(ExponentialHistogramDataPoint p, long count, double sum, double min, double max, long zeros,
      int scale, int posOffset, List<Long> pos, int negOffset, List<Long> neg) {
    assertThat(List.of(p.getCount(), p.getSum(), p.getMin() + 0.0, p.getMax() + 0.0, p.getZeroCount(), p.getScale()))
        .isEqualTo(List.of(count, sum, min, max, zeros, scale));
    assertThat(List.of(p.getPositive().getOffset(), p.getPositive().getBucketCountsList(), p.getNegative().getOffset(),
        p.getNegative().getBucketCountsList())).isEqualTo(List.of(posOffset, pos, negOffset, neg));
  }

  @Test
  void exponentialHistograms_asUpstreamsTimerWithHistogramCases() {
    List<Long> ones = List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L);
    check(histogram("expohisto:0|ms|#mykey:myvalue", "expohisto:1.5|ms|#mykey:myvalue", "expohisto:2.5|ms|#mykey:myvalue",
        "expohisto:4.5|ms|#mykey:myvalue", "expohisto:8.5|ms|#mykey:myvalue", "expohisto:16.5|ms|#mykey:myvalue",
        "expohisto:32.5|ms|#mykey:myvalue", "expohisto:64.5|ms|#mykey:myvalue", "expohisto:128.5|ms|#mykey:myvalue",
        "expohisto:256.5|ms|#mykey:myvalue", "expohisto:512.5|ms|#mykey:myvalue"),
        11, 1028, 0, 512.5, 1, 0, 0, ones, 0, List.of());
    check(histogram("expohisto:-0|ms|#mykey:myvalue", "expohisto:-1.5|ms|#mykey:myvalue",
        "expohisto:-2.5|ms|#mykey:myvalue", "expohisto:-4.5|ms|#mykey:myvalue", "expohisto:-8.5|ms|#mykey:myvalue",
        "expohisto:-16.5|ms|#mykey:myvalue", "expohisto:-32.5|ms|#mykey:myvalue", "expohisto:-64.5|ms|#mykey:myvalue",
        "expohisto:-128.5|ms|#mykey:myvalue", "expohisto:-256.5|ms|#mykey:myvalue", "expohisto:-512.5|ms|#mykey:myvalue"),
        11, -1028, -512.5, 0, 1, 0, 0, List.of(), 0, ones);
    check(histogram("expohisto:1.5|ms|#mykey:myvalue", "expohisto:4.5|ms|#mykey:myvalue",
        "expohisto:16.5|ms|#mykey:myvalue", "expohisto:64.5|ms|#mykey:myvalue", "expohisto:512.5|ms|#mykey:myvalue"),
        5, 599.5, 1.5, 512.5, 0, 0, 0, List.of(1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L, 0L, 1L), 0, List.of());
    check(histogram("expohisto:1|h|#mykey:myvalue", "expohisto:0|h|#mykey:myvalue", "expohisto:-1|h|#mykey:myvalue"),
        3, 0, -1, 1, 1, 20, -1, List.of(1L), -1, List.of(1L));
    check(histogram("expohisto:0|h|#mykey:myvalue", "expohisto:0|h|#mykey:myvalue", "expohisto:0|h|#mykey:myvalue",
        "expohisto:0|h|#mykey:myvalue"), 4, 0, 0, 0, 4, 20, 0, List.of(), 0, List.of());
    check(histogram("expohisto:1|h|@0.125|#mykey:myvalue", "expohisto:0|h|@0.25|#mykey:myvalue",
        "expohisto:-1|h|@0.5|#mykey:myvalue"), 14, 6, -1, 1, 4, 20, -1, List.of(8L), -1, List.of(2L));
    check(histogram("expohisto:1|d|#mykey:myvalue", "expohisto:0|d|#mykey:myvalue", "expohisto:-1|d|#mykey:myvalue"),
        3, 0, -1, 1, 1, 20, -1, List.of(1L), -1, List.of(1L));
  }

  @Test
  void sendersAggregateApart_andScopesCarryTheReceiver() {
    StatsdAggregator a = aggregator(true, false, "int", SUMMARY, new Observer("histogram", 0, List.of()));
    a.aggregate("statsdTestMetric1:1|g|#mykey:myvalue", "1.2.3.4:5678");
    a.aggregate("statsdTestMetric1:+1|g|#mykey:myvalue", "1.2.3.4:5678");
    a.aggregate("statsdTestMetric1:5|g|#mykey:myvalue", "255.254.253.252:251");
    List<ExportMetricsServiceRequest> flushed = a.flush();
    assertThat(flushed).hasSize(2);
    assertThat(metrics(flushed.subList(0, 1))).containsExactly(
        gauge("statsdTestMetric1", 2, "metric_type", "gauge", "mykey", "myvalue"));
    assertThat(metrics(flushed.subList(1, 2))).containsExactly(
        gauge("statsdTestMetric1", 5, "metric_type", "gauge", "mykey", "myvalue"));
    for (String line : List.of("test.metric:1|c", "test.metric:2|g", "test.metric:42|h",
        "statsdTestMetric1:1|ms|#mykey:myvalue", "test.metric:-42|ms")) {
      a.aggregate(line, "1.2.3.4:5678");
    }
    List<Metric> five = metrics(a.flush());
    assertThat(five).extracting(Metric::getDataCase).containsExactly(Metric.DataCase.GAUGE, Metric.DataCase.SUM,
        Metric.DataCase.SUMMARY, Metric.DataCase.SUMMARY, Metric.DataCase.EXPONENTIAL_HISTOGRAM);
    assertThat(a.flush()).as("a new interval starts empty").isEmpty();
  }

  @Test
  void nanAndInfinity_areDiscarded() {
    StatsdAggregator a = aggregator();
    for (String[] c : new String[][] {{"test.counter:NaN|c", "discarding metric \"test.counter\": invalid NaN value"},
        {"test.gauge:+Inf|g", "discarding metric \"test.gauge\": invalid infinite value"},
        {"test.timer:-Inf|ms", "discarding metric \"test.timer\": invalid infinite value"},
        {"test.histogram:NaN|h", "discarding metric \"test.histogram\": invalid NaN value"}}) {
      assertThatThrownBy(() -> a.aggregate(c[0], "s")).hasMessage(c[1]);
    }
    a.aggregate("test.valid:42.5|g", "s");
    assertThat(metrics(a.flush())).extracting(Metric::getName).containsExactly("test.valid");
  }
}
