package dev.kansoku.pipeline.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;

/** Small, deterministic OTLP requests: ids derive from the numbers given, so tests can find them again. */
public final class TestData {
  private TestData() {}

  public static ByteString traceId(long n) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x655415c5f8ce3ffeL).putLong(n).array());
  }

  public static ByteString spanId(long n) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(0xed4719643c9748b6L ^ n).array());
  }

  public static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attr("service.name", service)).build();
  }

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** {@code resources} resources of {@code scopes} scopes of {@code spans} spans each; span ids count from {@code first}. */
  public static ExportTraceServiceRequest traces(int resources, int scopes, int spans, long first) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    long n = first;
    for (int r = 0; r < resources; r++) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource("svc-" + r));
      for (int s = 0; s < scopes; s++) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        ss.getScopeBuilder().setName("scope-" + s);
        for (int i = 0; i < spans; i++, n++) {
          ss.addSpans(Span.newBuilder().setTraceId(traceId(n)).setSpanId(spanId(n)).setName("span-" + n)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + n).setEndTimeUnixNano(1_700_000_000_001_000_000L + n));
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  public static ExportLogsServiceRequest logs(int resources, int scopes, int records, long first) {
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    long n = first;
    for (int r = 0; r < resources; r++) {
      ResourceLogs.Builder rl = ResourceLogs.newBuilder().setResource(resource("svc-" + r));
      for (int s = 0; s < scopes; s++) {
        ScopeLogs.Builder sl = ScopeLogs.newBuilder();
        for (int i = 0; i < records; i++, n++) {
          sl.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(n)
              .setBody(AnyValue.newBuilder().setStringValue("line " + n)));
        }
        rl.addScopeLogs(sl);
      }
      req.addResourceLogs(rl);
    }
    return req.build();
  }

  /** {@code metrics} gauges of {@code points} data points each, under one resource and scope. */
  public static ExportMetricsServiceRequest gauges(int metrics, int points) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (int m = 0; m < metrics; m++) {
      Gauge.Builder g = Gauge.newBuilder();
      for (int p = 0; p < points; p++) {
        g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(p).setAsDouble(m * 1000 + p));
      }
      sm.addMetrics(Metric.newBuilder().setName("metric-" + m).setGauge(g));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("svc")).addScopeMetrics(sm))
        .build();
  }
}
