package dev.kansoku.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiceTelemetryTest {
  private final DiceTelemetry gen = new DiceTelemetry(42, 4);

  @Test
  void traces_exactSpanCount_uniqueValidIds_rollIsChildOfServer() {
    Set<ByteString> traceIds = new HashSet<>();
    Set<ByteString> spanIds = new HashSet<>();
    for (int n : new int[] {512, 511, 1, 2}) {
      ExportTraceServiceRequest req = gen.traces(n);
      List<Span> spans = req.getResourceSpans(0).getScopeSpansList().stream()
          .flatMap(ss -> ss.getSpansList().stream()).toList();
      assertThat(spans).hasSize(n);
      assertThat(OtlpSignal.TRACES.count(req)).isEqualTo(n);
      Map<ByteString, Span> servers = new HashMap<>();
      for (Span s : spans) {
        assertThat(s.getTraceId().size()).isEqualTo(16);
        assertThat(s.getSpanId().size()).isEqualTo(8);
        assertThat(s.getTraceId()).isNotEqualTo(ByteString.copyFrom(new byte[16]));
        assertThat(spanIds.add(s.getSpanId())).as("span id unique").isTrue();
        if (s.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
          assertThat(s.getName()).isEqualTo("GET /rolldice");
          assertThat(s.getParentSpanId()).isEmpty();
          assertThat(traceIds.add(s.getTraceId())).as("trace id unique across requests").isTrue();
          assertThat(keys(s.getAttributesList())).contains("http.request.method", "url.path", "http.route",
              "http.response.status_code", "server.address", "user_agent.original", "network.peer.address");
          servers.put(s.getSpanId(), s);
        }
      }
      for (Span s : spans) {
        if (s.getKind() == Span.SpanKind.SPAN_KIND_INTERNAL) {
          assertThat(s.getName()).isEqualTo("roll");
          Span parent = servers.get(s.getParentSpanId());
          assertThat(parent).isNotNull();
          assertThat(parent.getTraceId()).isEqualTo(s.getTraceId());
        }
      }
    }
  }

  @Test
  void traces_someFailWithExceptionEvent() {
    long errors = gen.traces(5000).getResourceSpans(0).getScopeSpansList().stream()
        .flatMap(ss -> ss.getSpansList().stream())
        .filter(s -> s.getEventsCount() > 0)
        .peek(s -> assertThat(keys(s.getEvents(0).getAttributesList()))
            .contains("exception.type", "exception.message", "exception.stacktrace"))
        .count();
    assertThat(errors).isBetween(20L, 300L);
  }

  @Test
  void resource_isAdotJavaAgentShaped() {
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      List<KeyValue> attrs = gen.traces(2).getResourceSpans(0).getResource().getAttributesList();
      assertThat(attrs).contains(KeyValue.newBuilder().setKey("service.name")
          .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("dice-server")).build());
      all.addAll(keys(attrs));
    }
    assertThat(all).contains("telemetry.sdk.language", "telemetry.sdk.name", "telemetry.sdk.version", "host.name",
        "process.pid", "process.runtime.name", "process.runtime.version", "os.type", "aws.ecs.task.arn");
  }

  @Test
  void logs_exactCount_carryTraceContext() {
    ExportLogsServiceRequest req = gen.logs(512);
    assertThat(OtlpSignal.LOGS.count(req)).isEqualTo(512);
    List<LogRecord> records = req.getResourceLogs(0).getScopeLogsList().stream()
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
    assertThat(records).allSatisfy(r -> {
      assertThat(r.getTraceId().size()).isEqualTo(16);
      assertThat(r.getSpanId().size()).isEqualTo(8);
    });
    assertThat(records).extracting(r -> r.getBody().getStringValue())
        .contains("GET \"/rolldice\", parameters={}")
        .anyMatch(b -> b.matches("Player is rolling the dice: [1-6]"));
  }

  @Test
  void metrics_exactPointCount_includeJvmAndHttpHistogram() {
    for (int n : new int[] {512, 7, 1}) {
      assertThat(OtlpSignal.METRICS.count(gen.metrics(n))).isEqualTo(n);
    }
    ExportMetricsServiceRequest req = gen.metrics(512);
    Set<String> names = new HashSet<>();
    req.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
        .forEach(sm -> sm.getMetricsList().forEach(m -> names.add(m.getName()))));
    assertThat(names).contains("jvm.memory.used", "jvm.thread.count", "jvm.cpu.recent_utilization",
        "http.server.request.duration");
  }

  @Test
  void json_idsAreHex() {
    String json = new String(RequestPool.encode(Protocol.HTTP_JSON, gen.traces(2)), StandardCharsets.UTF_8);
    assertThat(json).containsPattern("\"traceId\":\"[0-9a-f]{32}\"")
        .containsPattern("\"spanId\":\"[0-9a-f]{16}\"")
        .containsPattern("\"parentSpanId\":\"[0-9a-f]{16}\"")
        .contains("\"kind\":2");
  }

  @Test
  void grpcFrame_prefixesLength() {
    byte[] framed = RequestPool.grpcFrame(new byte[300]);
    assertThat(framed).hasSize(305);
    assertThat(framed[0]).isZero();
    assertThat(((framed[3] & 0xff) << 8) | (framed[4] & 0xff)).isEqualTo(300);
  }

  private static List<String> keys(List<KeyValue> attrs) {
    return attrs.stream().map(KeyValue::getKey).toList();
  }
}
