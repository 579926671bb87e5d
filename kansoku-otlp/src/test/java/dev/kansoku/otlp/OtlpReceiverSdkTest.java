package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry Java SDK's own OTLP exporters, over gRPC and HTTP/protobuf, against the receiver. */
class OtlpReceiverSdkTest {
  private static final Resource RESOURCE = Resource.getDefault().merge(Resource.create(Attributes.of(
      AttributeKey.stringKey("service.name"), "dice-server")));
  private static ReceiverHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = ReceiverHarness.plain();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @BeforeEach
  void clear() {
    harness.capture().clear();
  }

  @Test
  void traces_grpc() {
    checkTraces(OtlpGrpcSpanExporter.builder().setEndpoint(harness.grpcUrl()).build());
  }

  @Test
  void traces_httpProtobuf() {
    checkTraces(OtlpHttpSpanExporter.builder().setEndpoint(harness.httpUrl() + "/v1/traces").build());
  }

  @Test
  void traces_grpcGzip() {
    checkTraces(OtlpGrpcSpanExporter.builder().setEndpoint(harness.grpcUrl()).setCompression("gzip").build());
  }

  @Test
  void traces_httpGzip() {
    checkTraces(OtlpHttpSpanExporter.builder().setEndpoint(harness.httpUrl() + "/v1/traces").setCompression("gzip")
        .build());
  }

  @Test
  void metrics_grpc() {
    checkMetrics(OtlpGrpcMetricExporter.builder().setEndpoint(harness.grpcUrl()).build());
  }

  @Test
  void metrics_httpProtobuf() {
    checkMetrics(OtlpHttpMetricExporter.builder().setEndpoint(harness.httpUrl() + "/v1/metrics").build());
  }

  @Test
  void logs_grpc() {
    checkLogs(OtlpGrpcLogRecordExporter.builder().setEndpoint(harness.grpcUrl()).build());
  }

  @Test
  void logs_httpProtobuf() {
    checkLogs(OtlpHttpLogRecordExporter.builder().setEndpoint(harness.httpUrl() + "/v1/logs").build());
  }

  private void checkTraces(SpanExporter exporter) {
    SdkTracerProvider provider = SdkTracerProvider.builder().setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    var tracer = provider.get("io.opentelemetry.spring-webmvc-6.0", "2.9.0");
    Span server = tracer.spanBuilder("GET /rolldice").setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", "GET").setAttribute("http.response.status_code", 200L)
        .setAttribute(AttributeKey.doubleKey("roll.ratio"), 0.5).setAttribute("roll.lucky", true).startSpan();
    Span child;
    try (Scope ignored = server.makeCurrent()) {
      child = tracer.spanBuilder("roll").startSpan();
      child.addEvent("rolled", Attributes.of(AttributeKey.longKey("value"), 4L));
      child.setStatus(StatusCode.ERROR, "unlucky");
      child.end();
    }
    server.end();
    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<ExportTraceServiceRequest> got = harness.capture().received(Signal.TRACES);
    Map<String, io.opentelemetry.proto.trace.v1.Span> byName = got.stream()
        .flatMap(r -> r.getResourceSpansList().stream())
        .peek(rs -> assertThat(attrs(rs.getResource().getAttributesList())).containsEntry("service.name", "dice-server"))
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .peek(ss -> assertThat(ss.getScope().getName()).isEqualTo("io.opentelemetry.spring-webmvc-6.0"))
        .flatMap(ss -> ss.getSpansList().stream())
        .collect(Collectors.toMap(io.opentelemetry.proto.trace.v1.Span::getName, s -> s));
    assertThat(byName).containsOnlyKeys("GET /rolldice", "roll");
    var s = byName.get("GET /rolldice");
    assertThat(hex(s.getTraceId())).isEqualTo(server.getSpanContext().getTraceId());
    assertThat(hex(s.getSpanId())).isEqualTo(server.getSpanContext().getSpanId());
    assertThat(s.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(attrs(s.getAttributesList())).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http.request.method", "GET", "http.response.status_code", "200", "roll.ratio", "0.5", "roll.lucky", "true"));
    var c = byName.get("roll");
    assertThat(hex(c.getParentSpanId())).isEqualTo(server.getSpanContext().getSpanId());
    assertThat(hex(c.getTraceId())).isEqualTo(server.getSpanContext().getTraceId());
    assertThat(c.getStatus().getMessage()).isEqualTo("unlucky");
    assertThat(c.getEvents(0).getName()).isEqualTo("rolled");
    assertThat(c.getEvents(0).getAttributes(0).getValue().getIntValue()).isEqualTo(4);
  }

  private void checkMetrics(MetricExporter exporter) {
    SdkMeterProvider provider = SdkMeterProvider.builder().setResource(RESOURCE)
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build()).build();
    var meter = provider.get("dice");
    meter.counterBuilder("dice.rolls").build().add(3, Attributes.of(AttributeKey.stringKey("player"), "alice"));
    meter.histogramBuilder("http.server.request.duration").setUnit("s").build().record(0.25);
    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    Map<String, Metric> byName = harness.capture().received(Signal.METRICS).stream()
        .flatMap(r -> r.getResourceMetricsList().stream()).flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream()).collect(Collectors.toMap(Metric::getName, m -> m));
    assertThat(byName).containsOnlyKeys("dice.rolls", "http.server.request.duration");
    var rolls = byName.get("dice.rolls").getSum();
    assertThat(rolls.getIsMonotonic()).isTrue();
    assertThat(rolls.getDataPoints(0).getAsInt()).isEqualTo(3);
    assertThat(attrs(rolls.getDataPoints(0).getAttributesList())).containsEntry("player", "alice");
    var h = byName.get("http.server.request.duration");
    assertThat(h.getUnit()).isEqualTo("s");
    assertThat(h.getHistogram().getDataPoints(0).getSum()).isEqualTo(0.25);
    assertThat(h.getHistogram().getDataPoints(0).getCount()).isEqualTo(1);
  }

  private void checkLogs(LogRecordExporter exporter) {
    SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(RESOURCE)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
    Span span = Span.wrap(SpanContext.create("655415c5f8ce3ffe767daf7d6ef94d72", "ed4719643c9748b6",
        TraceFlags.getSampled(), TraceState.getDefault()));
    try (Scope ignored = span.makeCurrent()) {
      provider.get("dice").logRecordBuilder().setSeverity(Severity.INFO).setSeverityText("INFO")
          .setBody("Player alice is rolling the dice: 4").setAttribute(AttributeKey.stringKey("player"), "alice").emit();
    }
    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<LogRecord> records = harness.capture().received(Signal.LOGS).stream()
        .flatMap(r -> r.getResourceLogsList().stream()).flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
    assertThat(records).hasSize(1);
    LogRecord r = records.get(0);
    assertThat(r.getBody().getStringValue()).isEqualTo("Player alice is rolling the dice: 4");
    assertThat(r.getSeverityText()).isEqualTo("INFO");
    assertThat(hex(r.getTraceId())).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(hex(r.getSpanId())).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(attrs(r.getAttributesList())).containsEntry("player", "alice");
  }

  static Map<String, String> attrs(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
      var v = kv.getValue();
      switch (v.getValueCase()) {
        case INT_VALUE: return String.valueOf(v.getIntValue());
        case DOUBLE_VALUE: return String.valueOf(v.getDoubleValue());
        case BOOL_VALUE: return String.valueOf(v.getBoolValue());
        default: return v.getStringValue();
      }
    }));
  }

  static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }
}
