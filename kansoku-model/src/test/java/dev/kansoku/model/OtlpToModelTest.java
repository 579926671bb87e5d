package dev.kansoku.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpToModelTest {
  static final TraceId TRACE = TraceId.parse("1-655415c5-f8ce3ffe767daf7d6ef94d72");

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static KeyValue kv(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  static Resource resource(KeyValue... kvs) {
    return Resource.newBuilder().addAllAttributes(List.of(kvs)).build();
  }

  @Test
  void spans_take_service_http_and_flattened_attributes() {
    Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(TRACE.toBytes()))
        .setSpanId(ByteString.fromHex("ed4719643c9748b6")).setName("GET /rolldice").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_009_413_000_000_000L).setEndTimeUnixNano(1_700_009_413_012_000_000L)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("http.response.status_code", 500))
        .addAttributes(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder().setArrayValue(
            ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a")).addValues(
                AnyValue.newBuilder().setIntValue(2)))))
        .addAttributes(KeyValue.newBuilder().setKey("m").setValue(AnyValue.newBuilder().setKvlistValue(
            KeyValueList.newBuilder().addValues(kv("x", 1)))))
        .build();
    Span bad = span.toBuilder().setSpanId(ByteString.EMPTY).build();
    ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(resource(kv("service.name", "dice-server")))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span).addSpans(bad))).build();

    OtlpToModel.Converted<SpanRecord> c = OtlpToModel.spans(req);

    assertThat(c.rejected()).isEqualTo(1);
    assertThat(c.firstError()).isEqualTo("span_id: missing or all zeros");
    SpanRecord s = c.items().get(0);
    assertThat(s.traceId()).isEqualTo(TRACE);
    assertThat(s.serviceName()).isEqualTo("dice-server");
    assertThat(s.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(s.durationNanos()).isEqualTo(12_000_000L);
    assertThat(s.httpStatus()).isEqualTo(500);
    assertThat(s.isFault()).isTrue();
    assertThat(s.statusMessage()).isEqualTo("boom");
    assertThat(s.attributes()).containsEntry("tags", "[\"a\",2]").containsEntry("m.x", 1L);
  }

  @Test
  void logs_group_from_resource_or_service_and_trace_from_text() {
    io.opentelemetry.proto.logs.v1.LogRecord line = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
        .setTimeUnixNano(5).setSeverityText("INFO").setSeverityNumberValue(9)
        .setBody(AnyValue.newBuilder().setStringValue(
            "00:50:13.242 trace_id=1-655415c5-f8ce3ffe767daf7d6ef94d72@ed4719643c9748b6 span_id=ed4719643c9748b6"))
        .build();
    ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(kv("service.name", "dice-server")))
            .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(line)))
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(kv("service.name", "dice-server"),
                KeyValue.newBuilder().setKey("aws.log.group.names").setValue(AnyValue.newBuilder().setArrayValue(
                    ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("/ecs/dice")))).build(),
                kv("aws.log.stream.names", "task-1&task-2")))
            .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(line)))
        .build();

    List<LogRecord> logs = OtlpToModel.logs(req).items();

    assertThat(logs.get(0).logGroup()).isEqualTo("dice-server");
    assertThat(logs.get(0).logStream()).isEqualTo("default");
    assertThat(logs.get(0).traceId()).isEqualTo(TRACE);
    assertThat(logs.get(0).spanId()).isEqualTo(SpanId.parse("ed4719643c9748b6"));
    assertThat(logs.get(0).observedTimeNanos()).isEqualTo(5);
    assertThat(logs.get(1).logGroup()).isEqualTo("/ecs/dice");
    assertThat(logs.get(1).logStream()).isEqualTo("task-1");
  }

  @Test
  void metrics_namespace_is_service_and_dimensions_are_point_attributes() {
    Metric gauge = Metric.newBuilder().setName("jvm.memory.used").setUnit("By").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(7).setAsInt(1024)
            .addAttributes(kv("jvm.memory.type", "heap")))).build();
    Metric hist = Metric.newBuilder().setName("http.server.request.duration").setUnit("s").setHistogram(
        Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(7).setCount(3).setSum(0.6)
            .addAllExplicitBounds(List.of(0.1, 0.5)).addAllBucketCounts(List.of(1L, 1L, 1L)))).build();
    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
        ResourceMetrics.newBuilder().setResource(resource(kv("service.name", "dice-server")))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(hist))).build();

    List<MetricPoint> points = OtlpToModel.metrics(req).items();

    assertThat(points).hasSize(2);
    assertThat(points.get(0).namespace()).isEqualTo("dice-server");
    assertThat(points.get(0).value()).isEqualTo(1024.0);
    assertThat(points.get(0).dimensions()).isEqualTo(Map.of("jvm.memory.type", "heap"));
    assertThat(points.get(1).kind()).isEqualTo(MetricKind.HISTOGRAM);
    assertThat(points.get(1).bucketCounts()).containsExactly(1L, 1L, 1L);
    assertThat(points.get(1).min()).isNaN();
  }
}
