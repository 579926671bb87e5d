package dev.kansoku.awsapi.metrics;

import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.Quantile;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metric points (PutMetricData's datums, the metrics of EMF log events) as the OTLP
 * metrics the pipeline carries. {@code OtlpToModel.metrics} reads them back into equal points; the
 * mapping (kansoku-aws-api README, "CloudWatch ⇄ OTLP"):
 * <ul>
 *   <li>namespace: the resource's {@code service.namespace} and {@code service.name}, split at the
 *       first {@code /} when both sides are non-empty ({@code Apm/Test} → {@code Apm}, {@code Test}),
 *       else the whole namespace as {@code service.name}. OtlpToModel joins them with {@code /}, as
 *       ADOT's awsemf exporter names its namespace, so an awsemf exporter in the same pipeline sends
 *       the metric to the namespace it came from;
 *   <li>metric name; unit: CloudWatch's unit name ({@code Milliseconds}, {@code None}) as the OTLP
 *       unit, which awsemf passes through unchanged;
 *   <li>dimensions: the data point's attributes, strings;
 *   <li>a value: a gauge point (double); Values/Counts and statistic sets as {@link Points} folded
 *       them: a histogram point (count, sum, min/max when known, bounds, bucket counts) or a summary
 *       point (count, sum, the 0 and 1 quantiles as min and max);
 *   <li>timestamp: {@code time_unix_nano}. StorageResolution is validated but, as before, not stored.
 * </ul>
 * Stateless.
 */
public final class MetricsToOtlp {
  private MetricsToOtlp() {}

  private record MetricKey(String name, String unit, MetricKind kind) {}

  /** One resource per namespace, one metric per name, unit and kind, in first-seen order. */
  public static ExportMetricsServiceRequest request(List<MetricPoint> points) {
    Map<String, Map<MetricKey, List<MetricPoint>>> grouped = new LinkedHashMap<>();
    for (MetricPoint p : points) {
      grouped.computeIfAbsent(p.namespace(), k -> new LinkedHashMap<>())
          .computeIfAbsent(new MetricKey(p.name(), p.unit(), p.kind()), k -> new ArrayList<>()).add(p);
    }
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    grouped.forEach((namespace, metrics) -> {
      ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
      metrics.forEach((key, list) -> scope.addMetrics(metric(key, list)));
      req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(namespace)).addScopeMetrics(scope));
    });
    return req.build();
  }

  private static Resource resource(String namespace) {
    int slash = namespace.indexOf('/');
    Resource.Builder r = Resource.newBuilder();
    if (slash > 0 && slash < namespace.length() - 1) {
      r.addAttributes(string("service.namespace", namespace.substring(0, slash)));
      r.addAttributes(string("service.name", namespace.substring(slash + 1)));
    } else {
      r.addAttributes(string("service.name", namespace));
    }
    return r.build();
  }

  private static Metric metric(MetricKey key, List<MetricPoint> points) {
    Metric.Builder m = Metric.newBuilder().setName(key.name()).setUnit(key.unit());
    switch (key.kind()) {
      case GAUGE -> {
        Gauge.Builder g = Gauge.newBuilder();
        points.forEach(p -> g.addDataPoints(number(p)));
        m.setGauge(g);
      }
      case SUM -> {
        // Points never makes sums; kept for a total mapping, as OtlpToModel reads any sum back as SUM.
        Sum.Builder s = Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        points.forEach(p -> s.addDataPoints(number(p)));
        m.setSum(s);
      }
      case HISTOGRAM -> {
        Histogram.Builder h = Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        points.forEach(p -> h.addDataPoints(histogram(p)));
        m.setHistogram(h);
      }
      case SUMMARY -> {
        Summary.Builder s = Summary.newBuilder();
        points.forEach(p -> s.addDataPoints(summary(p)));
        m.setSummary(s);
      }
    }
    return m.build();
  }

  private static NumberDataPoint number(MetricPoint p) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(p.timeNanos()).addAllAttributes(dimensions(p))
        .setAsDouble(p.value()).build();
  }

  private static HistogramDataPoint histogram(MetricPoint p) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder().setTimeUnixNano(p.timeNanos())
        .addAllAttributes(dimensions(p)).setCount(p.count()).setSum(p.sum())
        .addAllExplicitBounds(p.bucketBounds()).addAllBucketCounts(p.bucketCounts());
    // NaN means "not recorded" in the model; OTLP says so by leaving the optional field out.
    if (!Double.isNaN(p.min())) {
      b.setMin(p.min());
    }
    if (!Double.isNaN(p.max())) {
      b.setMax(p.max());
    }
    return b.build();
  }

  private static SummaryDataPoint summary(MetricPoint p) {
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder().setTimeUnixNano(p.timeNanos())
        .addAllAttributes(dimensions(p)).setCount(p.count()).setSum(p.sum());
    for (Quantile q : p.quantiles()) {
      b.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q.quantile()).setValue(q.value()));
    }
    return b.build();
  }

  private static List<KeyValue> dimensions(MetricPoint p) {
    List<KeyValue> out = new ArrayList<>(p.dimensions().size());
    p.dimensions().forEach((k, v) -> out.add(string(k, v)));
    return out;
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
