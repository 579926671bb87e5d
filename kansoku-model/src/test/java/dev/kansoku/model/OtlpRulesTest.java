package dev.kansoku.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each case is checked three ways that must agree: the rule's reason, the receiver-side filter
 * ({@link OtlpRules#traces} …) and what {@link OtlpToModel} actually stores.
 */
class OtlpRulesTest {
  private static final ByteString TRACE = ByteString.fromHex("5b8efff798038103d269b633813fc60c");
  private static final ByteString SPAN = ByteString.fromHex("eee19b7ec3c1b174");
  private static final ByteString OTHER = ByteString.fromHex("eee19b7ec3c1b175");
  private static final ByteString ZERO16 = ByteString.copyFrom(new byte[16]);
  private static final ByteString ZERO8 = ByteString.copyFrom(new byte[8]);

  private static Span.Builder good() {
    return Span.newBuilder().setTraceId(TRACE).setSpanId(SPAN).setName("GET /rolldice")
        .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_012_000_000L);
  }

  /** One bad span beside a good one: the rule names the problem, the filter and the model drop it alone. */
  private static void checkSpan(Span bad, String expected) {
    assertThat(OtlpRules.span(bad)).isEqualTo(expected);
    ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(good()).addSpans(bad))).build();

    OtlpRules.Filtered<ExportTraceServiceRequest> f = OtlpRules.traces(req);
    assertThat(f.rejected()).isEqualTo(1);
    assertThat(f.firstError()).isEqualTo("resource_spans[0].scope_spans[0].spans[1]: " + expected);
    assertThat(f.request().getResourceSpans(0).getScopeSpans(0).getSpansList()).containsExactly(good().build());

    OtlpToModel.Converted<SpanRecord> stored = OtlpToModel.spans(req);
    assertThat(stored.rejected()).isEqualTo(1);
    assertThat(stored.items()).hasSize(1);
    assertThat(OtlpToModel.spans(f.request()).rejected()).isZero();
  }

  @Test
  void spans_theModelsRules() {
    checkSpan(good().setTraceId(ZERO16).build(), "trace_id: all zeros (W3C calls that invalid)");
    checkSpan(good().setTraceId(ByteString.EMPTY).build(), "trace_id: 0 bytes (expected: 16)");
    checkSpan(good().setSpanId(ZERO8).build(), "span_id: missing or all zeros");
    checkSpan(good().setSpanId(ByteString.EMPTY).build(), "span_id: missing or all zeros");
    checkSpan(good().setParentSpanId(SPAN).build(), "parent_span_id: the span's own id");
    checkSpan(good().setEndTimeUnixNano(1_699_999_999_000_000_000L).build(),
        "end_time_unix_nano 1699999999000000000 is before start_time_unix_nano 1700000000000000000");
    checkSpan(good().addLinks(Span.Link.newBuilder().setTraceId(ZERO16).setSpanId(OTHER)).build(),
        "links[0].trace_id: all zeros (W3C calls that invalid)");
  }

  @Test
  void spans_whatTheModelKeeps_passes() {
    for (Span ok : List.of(good().build(), good().setParentSpanId(ZERO8).build(), good().setParentSpanId(OTHER).build(),
        good().setEndTimeUnixNano(1_700_000_000_000_000_000L).build(),
        good().addLinks(Span.Link.newBuilder().setTraceId(ZERO16)).build())) {
      assertThat(OtlpRules.span(ok)).as("%s", ok).isNull();
      ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .addScopeSpans(ScopeSpans.newBuilder().addSpans(ok))).build();
      assertThat(OtlpRules.traces(req).request()).isSameAs(req);
      assertThat(OtlpToModel.spans(req).items()).hasSize(1);
    }
  }

  @Test
  void traces_allRejectedInAScope_dropsTheScopeAndResource() {
    ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(good().setTraceId(ZERO16)).addSpans(good().setSpanId(ZERO8))))
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(good()))).build();
    OtlpRules.Filtered<ExportTraceServiceRequest> f = OtlpRules.traces(req);
    assertThat(f.rejected()).isEqualTo(2);
    assertThat(f.request().getResourceSpansCount()).isEqualTo(1);
    assertThat(f.firstError()).startsWith("resource_spans[0].scope_spans[0].spans[0]: trace_id");
  }

  @Test
  void logs_severityOutOfRange_andBadSpanIdBesideATraceId() {
    LogRecord ok = LogRecord.newBuilder().setTimeUnixNano(1).setTraceId(ZERO16).setSpanId(ByteString.fromHex("01"))
        .build(); // no usable trace id: both ids are dropped, the record is kept
    LogRecord badSeverity = LogRecord.newBuilder().setSeverityNumberValue(99).build();
    LogRecord badSpan = LogRecord.newBuilder().setTraceId(TRACE).setSpanId(ByteString.fromHex("0102")).build();
    assertThat(OtlpRules.log(ok)).isNull();
    assertThat(OtlpRules.log(badSeverity)).isEqualTo("severity_number: 99 (expected: 0..24)");
    assertThat(OtlpRules.log(badSpan)).isEqualTo("span_id: 2 bytes (expected: 8 or none)");

    ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(ok).addLogRecords(badSeverity).addLogRecords(badSpan)))
        .build();
    OtlpRules.Filtered<ExportLogsServiceRequest> f = OtlpRules.logs(req);
    assertThat(f.rejected()).isEqualTo(2);
    assertThat(f.firstError()).isEqualTo("resource_logs[0].scope_logs[0].log_records[1]: severity_number: 99"
        + " (expected: 0..24)");
    assertThat(f.request().getResourceLogs(0).getScopeLogs(0).getLogRecordsList()).containsExactly(ok);
    assertThat(OtlpToModel.logs(req).rejected()).isEqualTo(2);
    assertThat(OtlpToModel.logs(req).items()).hasSize(1);
  }

  @Test
  void metrics_countDataPoints_asOtlpDoes() {
    HistogramDataPoint goodH = HistogramDataPoint.newBuilder().setCount(3).addExplicitBounds(1).addExplicitBounds(2)
        .addBucketCounts(1).addBucketCounts(1).addBucketCounts(1).build();
    HistogramDataPoint wrongCounts = goodH.toBuilder().addBucketCounts(9).build();
    HistogramDataPoint notIncreasing = goodH.toBuilder().setExplicitBounds(1, 1).build();
    HistogramDataPoint hugeCount = goodH.toBuilder().setCount(-1).build();
    Metric hist = Metric.newBuilder().setName("http.server.request.duration").setHistogram(Histogram.newBuilder()
        .addDataPoints(goodH).addDataPoints(wrongCounts).addDataPoints(notIncreasing).addDataPoints(hugeCount))
        .build();
    Metric noName = Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder())
        .addDataPoints(NumberDataPoint.newBuilder())).build();
    Metric noData = Metric.newBuilder().setName("empty").build();
    Metric summary = Metric.newBuilder().setName("s").setSummary(Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder().setCount(Long.MIN_VALUE))).build();
    Metric expo = Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder()
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(2).setCount(2)
            .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(2)))
        // scale 60 makes every bucket edge 1.0: the bounds the model would store do not increase
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(60).setCount(2)
            .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().addBucketCounts(1).addBucketCounts(1))))
        .build();
    Metric gauge = Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))).build();

    assertThat(OtlpRules.point(wrongCounts)).isEqualTo("bucket_counts: 4 counts for 2 explicit_bounds"
        + " (expected: bounds + 1)");
    assertThat(OtlpRules.point(notIncreasing)).isEqualTo("explicit_bounds: not increasing at index 1 (1.0, 1.0)");
    assertThat(OtlpRules.point(hugeCount)).isEqualTo("count: 18446744073709551615 (expected: below 2^63)");
    assertThat(OtlpRules.metric(noName)).isEqualTo("name: empty");
    assertThat(OtlpRules.metric(noData)).isEqualTo("metric empty: no data");

    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics
        .newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(hist).addMetrics(noName).addMetrics(noData)
            .addMetrics(summary).addMetrics(expo).addMetrics(gauge))).build();
    OtlpRules.Filtered<ExportMetricsServiceRequest> f = OtlpRules.metrics(req);
    // 3 histogram points, the 2 points of the unnamed gauge, 1 summary point, 1 exponential point
    assertThat(f.rejected()).isEqualTo(7);
    assertThat(f.firstError()).isEqualTo("resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[1]:"
        + " bucket_counts: 4 counts for 2 explicit_bounds (expected: bounds + 1)");
    List<Metric> kept = f.request().getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    assertThat(kept).extracting(Metric::getName).containsExactly("http.server.request.duration", "e", "g");
    assertThat(kept.get(0).getHistogram().getDataPointsList()).containsExactly(goodH);
    assertThat(kept.get(1).getExponentialHistogram().getDataPointsCount()).isEqualTo(1);

    OtlpToModel.Converted<MetricPoint> stored = OtlpToModel.metrics(req);
    assertThat(stored.rejected()).isEqualTo(7);
    assertThat(stored.items()).hasSize(3);
    assertThat(OtlpToModel.metrics(f.request()).rejected()).isZero();
    assertThat(OtlpToModel.metrics(f.request()).items()).hasSize(3);
  }
}
