package dev.kansoku.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
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
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/**
 * What the seed's dice app sends for one {@code GET /rolldice}: a SERVER span with its INTERNAL
 * child, the request metrics, and the log line written inside the request. Every nested message the
 * collector always writes (resource, scope, status, value, body, positive, negative) is set, so
 * these requests survive a JSON round trip unchanged.
 */
final class OtlpFixtures {
  static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  static final String SERVER_SPAN_ID = "eee19b7ec3c1b174";
  static final String ROLL_SPAN_ID = "a1b2c3d4e5f60718";
  static final String LINKED_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String LINKED_SPAN_ID = "b7ad6b7169203331";
  static final long START = 1_544_712_660_000_000_000L;

  private OtlpFixtures() {}

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  static KeyValue attr(String key, double value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
  }

  static KeyValue attr(String key, boolean value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
  }

  static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(attr("service.name", "dice-server"))
        .addAttributes(attr("service.version", "0.1.0"))
        .addAttributes(attr("telemetry.sdk.language", "java"))
        .addAttributes(attr("host.arch", "amd64"))
        .addAttributes(KeyValue.newBuilder().setKey("process.command_args").setValue(AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("java"))
                .addValues(AnyValue.newBuilder().setStringValue("-jar"))
                .addValues(AnyValue.newBuilder().setStringValue("dice.jar")))))
        .build();
  }

  static ExportTraceServiceRequest traces() {
    Span server = Span.newBuilder()
        .setTraceId(id(TRACE_ID))
        .setSpanId(id(SERVER_SPAN_ID))
        .setFlags(0x301)
        .setName("GET /rolldice")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START)
        .setEndTimeUnixNano(START + 1_250_000)
        .addAttributes(attr("http.request.method", "GET"))
        .addAttributes(attr("url.path", "/rolldice"))
        .addAttributes(attr("url.query", "player=\"Alice\"&rolls=2"))
        .addAttributes(attr("http.route", "/rolldice"))
        .addAttributes(attr("http.response.status_code", 200L))
        .addAttributes(attr("server.address", "localhost"))
        .addAttributes(attr("server.port", 8080L))
        .addAttributes(attr("user_agent.original", "curl/8.5.0"))
        .addAttributes(attr("network.protocol.version", "1.1"))
        .addLinks(Span.Link.newBuilder()
            .setTraceId(id(LINKED_TRACE_ID))
            .setSpanId(id(LINKED_SPAN_ID))
            .setTraceState("rojo=00f067aa0ba902b7")
            .addAttributes(attr("link.reason", "retry of an earlier request")))
        .setStatus(Status.newBuilder())
        .build();
    Span roll = Span.newBuilder()
        .setTraceId(id(TRACE_ID))
        .setSpanId(id(ROLL_SPAN_ID))
        .setParentSpanId(id(SERVER_SPAN_ID))
        .setFlags(0x101)
        .setName("roll")
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(START + 250_000)
        .setEndTimeUnixNano(START + 1_000_000)
        .addAttributes(attr("rolls", 2L))
        .addAttributes(attr("dice.fair", true))
        .addAttributes(attr("dice.mean", 3.5))
        .addEvents(Span.Event.newBuilder()
            .setTimeUnixNano(START + 500_000)
            .setName("rolled")
            .addAttributes(attr("result", 6L))
            .addAttributes(attr("message", "six!\tagain\n")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK).setMessage("lucky"))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(resource())
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder()
                    .setName("io.opentelemetry.tomcat-10.0").setVersion("2.10.0-alpha"))
                .addSpans(server)
                .addSpans(roll))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"))
        .build();
  }

  static ExportMetricsServiceRequest metrics() {
    KeyValue route = attr("http.route", "/rolldice");
    Metric gauge = Metric.newBuilder()
        .setName("jvm.cpu.recent_utilization")
        .setDescription("Recent CPU utilization for the process as reported by the JVM.")
        .setUnit("1")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(START)
            .setTimeUnixNano(START + 60_000_000_000L)
            .setAsDouble(0.0123)))
        .build();
    Metric sum = Metric.newBuilder()
        .setName("dice.rolls")
        .setDescription("Dice rolled, by value.")
        .setUnit("{roll}")
        .setSum(Sum.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .setIsMonotonic(true)
            .addDataPoints(NumberDataPoint.newBuilder()
                .addAttributes(attr("roll.value", 6L))
                .setStartTimeUnixNano(START)
                .setTimeUnixNano(START + 60_000_000_000L)
                .setAsInt(42)
                .addExemplars(Exemplar.newBuilder()
                    .addFilteredAttributes(attr("player", "Alice"))
                    .setTimeUnixNano(START + 500_000)
                    .setAsInt(1)
                    .setSpanId(id(ROLL_SPAN_ID))
                    .setTraceId(id(TRACE_ID))))
            .addDataPoints(NumberDataPoint.newBuilder()
                .addAttributes(attr("roll.value", 1L))
                .setStartTimeUnixNano(START)
                .setTimeUnixNano(START + 60_000_000_000L)
                .setAsInt(0)))
        .build();
    Metric histogram = Metric.newBuilder()
        .setName("http.server.request.duration")
        .setDescription("Duration of HTTP server requests.")
        .setUnit("s")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(route)
                .addAttributes(attr("http.response.status_code", 200L))
                .setStartTimeUnixNano(START)
                .setTimeUnixNano(START + 60_000_000_000L)
                .setCount(3)
                .setSum(0.0037500000000000003)
                .addBucketCounts(0).addBucketCounts(2).addBucketCounts(1).addBucketCounts(0)
                .addExplicitBounds(0.001).addExplicitBounds(0.005).addExplicitBounds(1e-7)
                .setMin(0.00025)
                .setMax(0.0025)
                .addExemplars(Exemplar.newBuilder()
                    .setTimeUnixNano(START + 1_250_000)
                    .setAsDouble(0.00125)
                    .setTraceId(id(TRACE_ID))
                    .setSpanId(id(SERVER_SPAN_ID)))))
        .build();
    Metric exponential = Metric.newBuilder()
        .setName("dice.roll.latency")
        .setUnit("ms")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(START)
                .setTimeUnixNano(START + 60_000_000_000L)
                .setCount(5)
                .setSum(12.75)
                .setScale(3)
                .setZeroCount(1)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                    .setOffset(-2).addBucketCounts(1).addBucketCounts(0).addBucketCounts(3))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder())
                .setMin(0)
                .setMax(6.5)
                .setZeroThreshold(1e-9)))
        .build();
    Metric summary = Metric.newBuilder()
        .setName("jvm.gc.pause")
        .setUnit("ms")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .setStartTimeUnixNano(START)
            .setTimeUnixNano(START + 60_000_000_000L)
            .setCount(4)
            .setSum(31.5)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0).setValue(2.25))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(15))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(1).setValue(1.5e21))))
        .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(resource())
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("dice-server"))
                .addMetrics(gauge)
                .addMetrics(sum)
                .addMetrics(histogram)
                .addMetrics(exponential)
                .addMetrics(summary)))
        .build();
  }

  static ExportLogsServiceRequest logs() {
    LogRecord record = LogRecord.newBuilder()
        .setTimeUnixNano(START + 600_000)
        .setObservedTimeUnixNano(START + 700_000)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
        .setSeverityText("INFO")
        .setBody(AnyValue.newBuilder().setStringValue("Anonymous player is rolling the dice: 6 — “lucky” <ok> & done"))
        .addAttributes(attr("code.namespace", "dev.example.dice.RollController"))
        .addAttributes(attr("thread.name", "http-nio-8080-exec-1"))
        .addAttributes(attr("thread.id", 37L))
        .addAttributes(KeyValue.newBuilder().setKey("payload").setValue(AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff}))))
        .setFlags(1)
        .setTraceId(id(TRACE_ID))
        .setSpanId(id(ROLL_SPAN_ID))
        .build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .setResource(resource())
            .addScopeLogs(ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("dev.example.dice.RollController"))
                .addLogRecords(record)))
        .build();
  }
}
