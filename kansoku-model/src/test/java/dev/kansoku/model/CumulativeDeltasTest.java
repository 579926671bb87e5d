package dev.kansoku.model;

import static dev.kansoku.model.OtlpToModelTest.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CumulativeDeltasTest {
  static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  static final long SEC = 1_000_000_000L;
  /** Kansoku's start; the sender starts 10 s later unless a test says otherwise. */
  static final long T0 = 1_700_000_000 * SEC;
  static final long APP_START = T0 + 10 * SEC;

  final MutableClock clock = new MutableClock(T0);
  CumulativeDeltas deltas = new CumulativeDeltas(100, Duration.ofMinutes(5), clock);

  @Test
  void counter_5_5_5_exported_three_times_is_one_increase_of_5_then_zeros() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      values.addAll(values(convert(counter("requests", APP_START, APP_START + i * 60 * SEC, 5))));
    }
    assertThat(values).containsExactly(5.0, 0.0, 0.0);
  }

  @Test
  void counter_increases_are_differences_of_totals() {
    assertThat(values(convert(counter("requests", APP_START, APP_START + 60 * SEC, 3)))).containsExactly(3.0);
    assertThat(values(convert(counter("requests", APP_START, APP_START + 120 * SEC, 10)))).containsExactly(7.0);
    assertThat(values(convert(counter("requests", APP_START, APP_START + 180 * SEC, 12.5)))).containsExactly(2.5);
  }

  @Test
  void first_point_of_a_run_that_started_before_kansoku_is_only_a_baseline() {
    long before = T0 - 3600 * SEC;
    assertThat(convert(counter("requests", before, T0 + 60 * SEC, 1000)).items()).isEmpty();
    assertThat(values(convert(counter("requests", before, T0 + 120 * SEC, 1004)))).containsExactly(4.0);
  }

  @Test
  void first_point_without_a_start_time_is_only_a_baseline() {
    assertThat(convert(counter("requests", 0, T0 + 60 * SEC, 7)).items()).isEmpty();
    assertThat(values(convert(counter("requests", 0, T0 + 120 * SEC, 9)))).containsExactly(2.0);
  }

  @Test
  void first_point_at_its_own_start_time_is_only_a_baseline() {
    assertThat(convert(counter("requests", APP_START, APP_START, 0)).items()).isEmpty();
    assertThat(values(convert(counter("requests", APP_START, APP_START + 60 * SEC, 4)))).containsExactly(4.0);
  }

  @Test
  void a_total_that_went_down_is_a_reset_and_counts_whole() {
    convert(counter("requests", 0, T0 + 60 * SEC, 100));
    assertThat(values(convert(counter("requests", 0, T0 + 120 * SEC, 110)))).containsExactly(10.0);
    assertThat(values(convert(counter("requests", 0, T0 + 180 * SEC, 3)))).containsExactly(3.0);
    assertThat(values(convert(counter("requests", 0, T0 + 240 * SEC, 5)))).containsExactly(2.0);
  }

  @Test
  void a_new_start_time_is_a_new_run_even_when_the_total_grew() {
    convert(counter("requests", APP_START, APP_START + 60 * SEC, 5));
    long restart = APP_START + 100 * SEC;
    // The restarted process counted 8 since its start: all of it is new, not 8 - 5.
    assertThat(values(convert(counter("requests", restart, restart + 60 * SEC, 8)))).containsExactly(8.0);
    assertThat(values(convert(counter("requests", restart, restart + 120 * SEC, 9)))).containsExactly(1.0);
  }

  @Test
  void a_replayed_point_is_dropped_and_changes_nothing() {
    convert(counter("requests", APP_START, APP_START + 60 * SEC, 5));
    assertThat(convert(counter("requests", APP_START, APP_START + 60 * SEC, 5)).items()).isEmpty();
    assertThat(values(convert(counter("requests", APP_START, APP_START + 120 * SEC, 6)))).containsExactly(1.0);
  }

  @Test
  void rollback_lets_a_retried_request_compute_the_same_increase() {
    convert(counter("requests", APP_START, APP_START + 60 * SEC, 5));
    ExportMetricsServiceRequest second = counter("requests", APP_START, APP_START + 120 * SEC, 9);
    CumulativeDeltas.Batch failed = deltas.batch();
    assertThat(values(OtlpToModel.metrics(second, failed))).containsExactly(4.0);
    failed.rollback(); // the store refused; the sender retries the same request
    assertThat(values(convert(second))).containsExactly(4.0);
  }

  @Test
  void series_differ_by_point_attributes_resource_and_scope() {
    convert(counter("requests", APP_START, APP_START + 60 * SEC, 5));
    ExportMetricsServiceRequest other = request(Resource.newBuilder().addAttributes(kv("service.name", "dice"))
        .addAttributes(kv("service.instance.id", "b")).build(), sum("requests", true,
        point(APP_START, APP_START + 60 * SEC, 7)));
    assertThat(values(convert(other))).containsExactly(7.0);
    assertThat(deltas.size()).isEqualTo(2);
  }

  @Test
  void non_monotonic_cumulative_sums_are_converted_too_as_awsemf_does() {
    convert(request(sum("queue.size", false, point(APP_START, APP_START + 60 * SEC, 10))));
    assertThat(values(convert(request(sum("queue.size", false, point(APP_START, APP_START + 120 * SEC, 14))))))
        .containsExactly(4.0);
  }

  @Test
  void gauges_and_delta_sums_pass_unchanged_and_no_recorded_value_passes_nothing() {
    Metric gauge = Metric.newBuilder().setName("heap").setGauge(Gauge.newBuilder()
        .addDataPoints(point(0, T0 + SEC, 42))
        .addDataPoints(point(0, T0 + 2 * SEC, 0).toBuilder().setFlags(1))).build();
    Metric delta = Metric.newBuilder().setName("hits").setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(point(T0, T0 + SEC, 3))).build();
    for (int i = 0; i < 2; i++) {
      OtlpToModel.Converted<MetricPoint> c = convert(request(gauge, delta));
      assertThat(values(c)).containsExactly(42.0, 3.0);
      assertThat(c.rejected()).isZero();
    }
    assertThat(deltas.size()).isZero();
  }

  @Test
  void no_recorded_value_of_a_cumulative_sum_leaves_the_series_as_it_was() {
    convert(counter("requests", APP_START, APP_START + 60 * SEC, 5));
    Metric stale = sum("requests", true, point(APP_START, APP_START + 120 * SEC, 0).toBuilder().setFlags(1).build());
    assertThat(convert(request(stale)).items()).isEmpty();
    assertThat(values(convert(counter("requests", APP_START, APP_START + 180 * SEC, 6)))).containsExactly(1.0);
  }

  @Test
  void histogram_counts_sum_and_buckets_become_increases_and_min_max_are_kept() {
    List<Double> bounds = List.of(0.1, 0.5);
    MetricPoint first = single(convert(histogram(APP_START + 60 * SEC, 3, 0.6, bounds, List.of(1L, 1L, 1L))));
    assertThat(first.count()).isEqualTo(3);
    assertThat(first.bucketCounts()).containsExactly(1L, 1L, 1L);

    MetricPoint second = single(convert(histogram(APP_START + 120 * SEC, 7, 1.6, bounds, List.of(2L, 3L, 2L))));
    assertThat(second.count()).isEqualTo(4);
    assertThat(second.sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(second.bucketCounts()).containsExactly(1L, 2L, 1L);
    assertThat(second.min()).isEqualTo(0.01); // awsemf sends the cumulative min/max as they are
    assertThat(second.max()).isEqualTo(2.0);

    MetricPoint idle = single(convert(histogram(APP_START + 180 * SEC, 7, 1.6, bounds, List.of(2L, 3L, 2L))));
    assertThat(idle.count()).isZero();
    assertThat(idle.bucketCounts()).containsExactly(0L, 0L, 0L);
    assertThat(idle.min()).isNaN(); // an interval with no values has no extremes
    assertThat(idle.max()).isNaN();
  }

  @Test
  void histogram_with_a_bucket_that_went_down_is_a_reset() {
    List<Double> bounds = List.of(0.1, 0.5);
    convert(histogram(APP_START + 60 * SEC, 3, 0.6, bounds, List.of(1L, 1L, 1L)));
    MetricPoint reset = single(convert(histogram(APP_START + 120 * SEC, 4, 0.9, bounds, List.of(0L, 2L, 2L))));
    assertThat(reset.count()).isEqualTo(4);
    assertThat(reset.bucketCounts()).containsExactly(0L, 2L, 2L);
  }

  @Test
  void exponential_histogram_that_lowered_its_scale_is_aligned_by_merging_buckets() {
    // Scale 1: buckets (1, √2], (√2, 2], (2, 2√2], (2√2, 4]; then scale 0: (1, 2], (2, 4].
    convert(exponential(APP_START + 60 * SEC, 1, 0, List.of(1L, 2L, 3L, 4L), 10));
    MetricPoint p = single(convert(exponential(APP_START + 120 * SEC, 0, 0, List.of(5L, 9L), 14)));
    assertThat(p.count()).isEqualTo(4);
    assertThat(p.bucketBounds()).containsExactly(0.0, 1.0, 2.0, 4.0);
    // ≤0, (0,1], (1,2], (2,4], >4: before, 1+2 and 3+4 were in (1,2] and (2,4].
    assertThat(p.bucketCounts()).containsExactly(0L, 0L, 2L, 2L, 0L);
  }

  @Test
  void bounds_that_cannot_be_aligned_make_a_new_baseline() {
    convert(histogram(APP_START + 60 * SEC, 2, 1, List.of(1.0, 3.0), List.of(0L, 2L, 0L)));
    // (1, 3] holds 2 values; the new bound 2 splits it.
    assertThat(convert(histogram(APP_START + 120 * SEC, 3, 2, List.of(2.0, 3.0), List.of(1L, 2L, 0L))).items())
        .isEmpty();
    MetricPoint p = single(convert(histogram(APP_START + 180 * SEC, 4, 3, List.of(2.0, 3.0), List.of(1L, 3L, 0L))));
    assertThat(p.bucketCounts()).containsExactly(0L, 1L, 0L);
  }

  @Test
  void prometheus_summaries_have_count_and_sum_increases_and_quantiles_as_they_are() {
    Resource prom = Resource.newBuilder().addAttributes(kv("service.name", "node"))
        .addAttributes(kv("receiver", "prometheus")).build();
    convert(request(prom, summary(APP_START + 60 * SEC, 10, 5.0, 0.2)));
    MetricPoint p = single(convert(request(prom, summary(APP_START + 120 * SEC, 14, 6.0, 0.3))));
    assertThat(p.count()).isEqualTo(4);
    assertThat(p.sum()).isEqualTo(1.0);
    assertThat(p.quantiles()).containsExactly(new Quantile(0.5, 0.3));
  }

  @Test
  void other_summaries_are_stored_as_sent_as_awsemf_does() {
    for (int i = 1; i <= 2; i++) {
      assertThat(single(convert(request(summary(APP_START + i * 60 * SEC, 10, 5.0, 0.2)))).count()).isEqualTo(10);
    }
    assertThat(deltas.size()).isZero();
  }

  @Test
  void the_least_recently_seen_series_is_evicted_and_counted() {
    deltas = new CumulativeDeltas(2, Duration.ofMinutes(5), clock);
    convert(counter("a", APP_START, APP_START + 60 * SEC, 1));
    convert(counter("b", APP_START, APP_START + 60 * SEC, 1));
    convert(counter("a", APP_START, APP_START + 120 * SEC, 2)); // a is now the most recent
    convert(counter("c", APP_START, APP_START + 60 * SEC, 1)); // evicts b
    assertThat(deltas.evictions()).isEqualTo(1);
    assertThat(deltas.size()).isEqualTo(2);
    assertThat(values(convert(counter("a", APP_START, APP_START + 180 * SEC, 4)))).containsExactly(2.0);
    // b's run started before its last point that was forgotten: a baseline, not counted twice.
    assertThat(convert(counter("b", APP_START, APP_START + 180 * SEC, 3)).items()).isEmpty();
    assertThat(values(convert(counter("b", APP_START, APP_START + 240 * SEC, 5)))).containsExactly(2.0);
  }

  @Test
  void a_series_not_seen_for_max_staleness_is_forgotten() {
    convert(counter("a", APP_START, APP_START + 60 * SEC, 5));
    clock.advance(Duration.ofMinutes(5));
    assertThat(convert(counter("a", APP_START, APP_START + 400 * SEC, 9)).items()).isEmpty();
    assertThat(deltas.expired()).isEqualTo(1);
    assertThat(values(convert(counter("a", APP_START, APP_START + 460 * SEC, 10)))).containsExactly(1.0);
  }

  @Test
  void align_merges_buckets_onto_coarser_bounds_and_refuses_a_split() {
    assertThat(CumulativeDeltas.align(List.of(1.0, 2.0, 3.0), List.of(1L, 2L, 3L, 4L), List.of(2.0)))
        .containsExactly(3L, 7L);
    assertThat(CumulativeDeltas.align(List.of(1.0, 3.0), List.of(1L, 2L, 0L), List.of(1.0, 2.0, 3.0))).isNull();
    assertThat(CumulativeDeltas.align(List.of(1.0, 3.0), List.of(1L, 0L, 0L), List.of(1.0, 2.0, 3.0)))
        .containsExactly(1L, 0L, 0L, 0L);
  }

  // ---- helpers

  OtlpToModel.Converted<MetricPoint> convert(ExportMetricsServiceRequest request) {
    return OtlpToModel.metrics(request, deltas.batch());
  }

  static List<Double> values(OtlpToModel.Converted<MetricPoint> c) {
    return c.items().stream().map(MetricPoint::value).toList();
  }

  static MetricPoint single(OtlpToModel.Converted<MetricPoint> c) {
    assertThat(c.items()).hasSize(1);
    return c.items().get(0);
  }

  static NumberDataPoint point(long start, long time, double value) {
    return NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time).setAsDouble(value)
        .addAttributes(kv("route", "/rolldice")).build();
  }

  static Metric sum(String name, boolean monotonic, NumberDataPoint p) {
    return Metric.newBuilder().setName(name).setUnit("1").setSum(Sum.newBuilder().setIsMonotonic(monotonic)
        .setAggregationTemporality(CUMULATIVE).addDataPoints(p)).build();
  }

  static ExportMetricsServiceRequest counter(String name, long start, long time, double value) {
    return request(sum(name, true, point(start, time, value)));
  }

  static ExportMetricsServiceRequest histogram(long time, long count, double sum, List<Double> bounds,
      List<Long> counts) {
    return request(Metric.newBuilder().setName("latency").setUnit("s").setHistogram(Histogram.newBuilder()
        .setAggregationTemporality(CUMULATIVE).addDataPoints(HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(APP_START).setTimeUnixNano(time).setCount(count).setSum(sum).setMin(0.01)
            .setMax(2.0).addAllExplicitBounds(bounds).addAllBucketCounts(counts))).build());
  }

  static ExportMetricsServiceRequest exponential(long time, int scale, int offset, List<Long> positive, long count) {
    return request(Metric.newBuilder().setName("latency").setUnit("s").setExponentialHistogram(
        ExponentialHistogram.newBuilder().setAggregationTemporality(CUMULATIVE).addDataPoints(
            ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(APP_START).setTimeUnixNano(time)
                .setScale(scale).setCount(count).setSum(count * 2.0).setPositive(
                    ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset)
                        .addAllBucketCounts(positive)))).build());
  }

  static Metric summary(long time, long count, double sum, double median) {
    return Metric.newBuilder().setName("rpc").setSummary(Summary.newBuilder().addDataPoints(
        SummaryDataPoint.newBuilder().setStartTimeUnixNano(APP_START).setTimeUnixNano(time).setCount(count)
            .setSum(sum).addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5)
                .setValue(median)))).build();
  }

  static ExportMetricsServiceRequest request(Metric... metrics) {
    return request(Resource.newBuilder().addAttributes(kv("service.name", "dice"))
        .addAttributes(kv("service.instance.id", "a")).build(), metrics);
  }

  static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (Metric m : metrics) {
      scope.addMetrics(m);
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource).addScopeMetrics(scope)).build();
  }

  static final class MutableClock extends Clock {
    private long nanos;

    MutableClock(long nanos) {
      this.nanos = nanos;
    }

    void advance(Duration d) {
      nanos += d.toNanos();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(0, nanos);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
