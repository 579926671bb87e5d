package dev.kansoku.prometheus.remotewrite;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
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
import java.util.ArrayList;
import java.util.List;

/** Small builders of OTLP metrics for the tests. */
final class Otlp {
  static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;

  private Otlp() {}

  /** key1, value1, key2, value2, ... as string attributes. */
  static List<KeyValue> attrs(String... kv) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.add(KeyValue.newBuilder().setKey(kv[i]).setValue(AnyValue.newBuilder().setStringValue(kv[i + 1])).build());
    }
    return out;
  }

  static ExportMetricsServiceRequest request(List<KeyValue> resource, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(resource))
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("shop.meter").setVersion("1.2"))
            .addAllMetrics(List.of(metrics)))).build();
  }

  static NumberDataPoint point(long timeNanos, double value, String... attrs) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(timeNanos).setStartTimeUnixNano(timeNanos - 60_000_000_000L)
        .setAsDouble(value).addAllAttributes(attrs(attrs)).build();
  }

  static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
  }

  static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality t, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setSum(Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(t)
            .addAllDataPoints(List.of(points))).build();
  }

  static HistogramDataPoint histogramPoint(long timeNanos, double sum, List<Double> bounds, List<Long> counts,
      String... attrs) {
    return HistogramDataPoint.newBuilder().setTimeUnixNano(timeNanos).setSum(sum)
        .setCount(counts.stream().mapToLong(Long::longValue).sum()).addAllExplicitBounds(bounds)
        .addAllBucketCounts(counts).addAllAttributes(attrs(attrs)).build();
  }

  static Metric histogram(String name, String unit, AggregationTemporality t, HistogramDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(t).addAllDataPoints(List.of(points))).build();
  }

  static Metric summary(String name, String unit, long timeNanos, double sum, long count, double... quantileValue) {
    SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().setTimeUnixNano(timeNanos).setSum(sum).setCount(count);
    for (int i = 0; i < quantileValue.length; i += 2) {
      p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(quantileValue[i])
          .setValue(quantileValue[i + 1]));
    }
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setSummary(Summary.newBuilder().addDataPoints(p)).build();
  }
}
