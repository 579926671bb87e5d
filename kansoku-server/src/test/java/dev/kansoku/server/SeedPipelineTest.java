package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.otlp.OtlpJson;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's collector YAML (AWS exporters swapped for file) runs; the OpenTelemetry SDK and curl
 * send to it, and after a clean shutdown the files hold exactly what was sent.
 */
class SeedPipelineTest {
  @TempDir Path dir;

  @Test
  void seedPipelines_sdkAndCurl_toFiles() throws Exception {
    int grpcPort = freePort();
    int httpPort = freePort();
    Map<String, String> env = Map.of("GRPC_PORT", String.valueOf(grpcPort), "HTTP_PORT", String.valueOf(httpPort),
        "OUT_DIR", dir.toString());
    Kansoku kansoku = Kansoku.start(List.of("src/test/resources/config/seed-with-file-exporters.yaml"), env::get);

    Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dice-server"));
    SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://localhost:" + grpcPort).build()).build()).build();
    List<String> sentTraceIds = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Span span = tracing.get("dice").spanBuilder("GET /rolldice").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.response.status_code", 200L).setAttribute("roll", (long) (i % 6 + 1)).startSpan();
      span.end();
      sentTraceIds.add(span.getSpanContext().getTraceId());
    }
    assertThat(tracing.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource).registerMetricReader(
        PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
            .setEndpoint("http://localhost:" + httpPort + "/v1/metrics").build()).setInterval(Duration.ofHours(1))
            .build()).build();
    meters.get("dice").counterBuilder("dice.rolls").build().add(50);
    assertThat(meters.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
        "-H", "Content-Type: application/json", "--data-binary", "@-",
        "http://localhost:" + httpPort + "/v1/traces").redirectErrorStream(true).start();
    curl.getOutputStream().write(("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"curl\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
        + "\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"EEE19B7EC3C1B174\",\"name\":\"from-curl\",\"kind\":2,"
        + "\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\"}]}]}]}")
        .getBytes(StandardCharsets.UTF_8));
    curl.getOutputStream().close();
    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");

    kansoku.close();

    List<String> gotTraceIds = new ArrayList<>();
    List<String> curlSpans = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("traces.jsonl"))) {
      ExportTraceServiceRequest req = OtlpJson.parse(Signal.TRACES, line.getBytes(StandardCharsets.UTF_8));
      for (ResourceSpans rs : req.getResourceSpansList()) {
        String service = rs.getResource().getAttributes(0).getValue().getStringValue();
        rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
          String id = HexFormat.of().formatHex(s.getTraceId().toByteArray());
          if (service.equals("curl")) {
            curlSpans.add(s.getName() + " " + id + " " + s.getStartTimeUnixNano());
          } else {
            assertThat(s.getName()).isEqualTo("GET /rolldice");
            gotTraceIds.add(id);
          }
        }));
      }
    }
    assertThat(gotTraceIds).containsExactlyInAnyOrderElementsOf(sentTraceIds);
    assertThat(curlSpans).containsExactly("from-curl 5b8efff798038103d269b633813fc60c 1544712660000000000");

    List<String> metricLines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    long rolls = metricLines.stream().map(l -> parseMetrics(l)).flatMap(r -> r.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals("dice.rolls")).mapToLong(m -> m.getSum().getDataPoints(0).getAsInt()).sum();
    assertThat(rolls).isEqualTo(50);
  }

  private static ExportMetricsServiceRequest parseMetrics(String line) {
    try {
      return OtlpJson.parse(Signal.METRICS, line.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
