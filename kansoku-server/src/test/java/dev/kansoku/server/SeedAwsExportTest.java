package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed article's collector YAML, verbatim, with only AWS_ENDPOINT_URL pointing the AWS SDK at a
 * recording server: spans from the OpenTelemetry SDK arrive as X-Ray segments (PutTraceSegments)
 * and metrics as EMF log events in the dice-server namespace (PutLogEvents).
 */
class SeedAwsExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void seedYaml_exportsToAwsEndpoints() throws Exception {
    List<JsonNode> segments = new CopyOnWriteArrayList<>();
    List<JsonNode> emfEvents = new CopyOnWriteArrayList<>();
    List<String> calls = new CopyOnWriteArrayList<>();
    Server aws = Server.builder().http(0).service("/TraceSegments", (ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(agg -> {
          calls.add("xray PutTraceSegments " + agg.headers().get("authorization", "").split(",")[0]);
          for (JsonNode doc : read(agg.contentUtf8()).get("TraceSegmentDocuments")) {
            segments.add(read(doc.asText()));
          }
          return HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"UnprocessedTraceSegments\":[]}");
        }))).service("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
          String target = agg.headers().get("x-amz-target", "");
          calls.add(target);
          if (target.equals("Logs_20140328.PutLogEvents")) {
            JsonNode body = read(agg.contentUtf8());
            assertThat(body.get("logGroupName").asText()).isEqualTo("/metrics/dice-server");
            body.get("logEvents").forEach(e -> emfEvents.add(read(e.get("message").asText())));
            return HttpResponse.of(HttpStatus.OK, MediaType.parse("application/x-amz-json-1.1"),
                "{\"nextSequenceToken\":\"1\"}");
          }
          return HttpResponse.of(HttpStatus.OK, MediaType.parse("application/x-amz-json-1.1"), "{}");
        }))).build();
    aws.start().join();
    try (ChildKansoku child = ChildKansoku.start(dir, List.of("-Xmx256m"), Map.of(
        "AWS_ENDPOINT_URL", "http://127.0.0.1:" + aws.activeLocalPort(),
        "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_EC2_METADATA_DISABLED", "true"),
        "--config", "src/test/resources/config/seed-collector.yaml")) {
      child.awaitStarted();
      Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dice-server"));
      SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource).addSpanProcessor(
          SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder().setEndpoint("http://localhost:4317").build()))
          .build();
      List<String> traceIds = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        var span = tracing.get("io.opentelemetry.spring-webmvc-6.0").spanBuilder("GET /rolldice")
            .setSpanKind(SpanKind.SERVER).setAttribute("http.request.method", "GET")
            .setAttribute("http.response.status_code", 200L).startSpan();
        span.end();
        traceIds.add(span.getSpanContext().getTraceId());
      }
      assertThat(tracing.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource).registerMetricReader(
          PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
              .setEndpoint("http://localhost:4318/v1/metrics").build()).setInterval(Duration.ofHours(1)).build())
          .build();
      meters.get("jvm").gaugeBuilder("jvm.memory.used").setUnit("By").ofLongs().buildWithCallback(
          m -> m.record(123_456_789L, Attributes.of(AttributeKey.stringKey("jvm.memory.pool.name"), "G1 Eden Space")));
      assertThat(meters.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      assertThat(child.terminate()).as(child.output()).isIn(0, 143);

      assertThat(segments).hasSize(3);
      for (int i = 0; i < 3; i++) {
        String w3c = traceIds.get(i);
        assertThat(segments).anySatisfy(s -> {
          assertThat(s.get("trace_id").asText()).isEqualTo("1-" + w3c.substring(0, 8) + "-" + w3c.substring(8));
          assertThat(s.get("name").asText()).isEqualTo("dice-server");
          assertThat(s.get("http").get("request").get("method").asText()).isEqualTo("GET");
          assertThat(s.get("http").get("response").get("status").asInt()).isEqualTo(200);
        });
      }
      assertThat(calls).anySatisfy(c -> assertThat(c)
          .startsWith("xray PutTraceSegments AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/us-west-2/xray/"));
      assertThat(emfEvents).anySatisfy(e -> {
        assertThat(e.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo("dice-server");
        assertThat(e.get("jvm.memory.used").asLong()).isEqualTo(123_456_789L);
        assertThat(e.get("jvm.memory.pool.name").asText()).isEqualTo("G1 Eden Space");
      });
    } finally {
      aws.stop().join();
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(json, e);
    }
  }
}
