package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * OTLP in through the kansoku exporter, out through the native query API: a trace by either id
 * form, the trace's logs (one linked by OTLP trace_id, one only by the X-Ray id in its text, as the
 * seed's logback pattern prints it), a search, and the API's errors.
 */
class StoreQueryApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void otlpIn_queryApiOut() throws Exception {
    int grpcPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/store-query.yaml"),
        Map.of("GRPC_PORT", String.valueOf(grpcPort), "API_PORT", String.valueOf(apiPort))::get)) {
      Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dice-server"));
      SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource).addSpanProcessor(
          SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder().setEndpoint("http://localhost:" + grpcPort)
              .build())).build();
      SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource).addLogRecordProcessor(
          SimpleLogRecordProcessor.create(OtlpGrpcLogRecordExporter.builder()
              .setEndpoint("http://localhost:" + grpcPort).build())).build();
      Span root = tracing.get("dice").spanBuilder("GET /rolldice").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET").setAttribute("http.response.status_code", 200L).startSpan();
      String w3c = root.getSpanContext().getTraceId();
      String xray = "1-" + w3c.substring(0, 8) + "-" + w3c.substring(8);
      try (Scope ignored = root.makeCurrent()) {
        tracing.get("dice").spanBuilder("roll").startSpan().end();
        logging.get("dice").logRecordBuilder().setSeverity(Severity.INFO).setBody("Player is rolling the dice: 4")
            .emit();
      }
      root.end();
      // A line that only carries the id in its text, as the seed's logback pattern prints it.
      logging.get("stdout").logRecordBuilder().setBody("00:50:13.242 trace_id=" + xray + "@"
          + root.getSpanContext().getSpanId() + " span_id=" + root.getSpanContext().getSpanId()
          + " trace_flags=01 GET \"/rolldice\", parameters={}").emit();
      assertThat(tracing.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logging.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      Thread.sleep(200);

      BlockingWebClient api = WebClient.of("http://127.0.0.1:" + apiPort).blocking();
      JsonNode byW3c = get(api, "/api/traces/" + w3c, 200);
      assertThat(byW3c.get("xrayTraceId").asText()).isEqualTo(xray);
      assertThat(byW3c.get("spans")).hasSize(2);
      assertThat(get(api, "/api/traces/" + xray, 200).get("traceId").asText()).isEqualTo(w3c);
      String absent = "0".repeat(31) + "2";
      JsonNode batch = get(api, "/api/traces-by-id?ids=" + w3c + "," + absent + "," + xray, 200);
      assertThat(batch.get("traces")).extracting(t -> t.get("traceId").asText()).containsExactly(w3c);
      assertThat(batch.get("traces").get(0).get("spans")).hasSize(2);
      assertThat(batch.get("missing")).extracting(JsonNode::asText).containsExactly(absent);
      assertThat(get(api, "/api/traces-by-id?ids=" + (w3c + ",").repeat(101), 400).get("error").asText())
          .isEqualTo("ids: expected 1 to 100 trace ids, got 101");

      JsonNode logs = get(api, "/api/traces/" + w3c + "/logs", 200).get("logs");
      assertThat(logs).extracting(l -> l.get("body").asText()).containsExactlyInAnyOrder(
          "Player is rolling the dice: 4",
          "00:50:13.242 trace_id=" + xray + "@" + root.getSpanContext().getSpanId() + " span_id="
              + root.getSpanContext().getSpanId() + " trace_flags=01 GET \"/rolldice\", parameters={}");

      JsonNode found = get(api, "/api/traces?service=dice-server&start=1h", 200).get("traces");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).get("rootName").asText()).isEqualTo("GET /rolldice");
      assertThat(get(api, "/api/services", 200).get("services")).extracting(JsonNode::asText).contains("dice-server");
      assertThat(get(api, "/api/traces?service=dice-server&minDuration=1h", 200).get("traces")).isEmpty();

      JsonNode red = get(api, "/api/red?service=dice-server&start=1h&period=1h", 200);
      assertThat(red.get("periodSeconds").asLong()).isEqualTo(3_600L);
      assertThat(red.get("services")).hasSize(1);
      JsonNode svc = red.get("services").get(0);
      long requests = 0;
      for (JsonNode rate : svc.get("requestsPerSecond")) {
        requests += Math.round(rate.asDouble() * 3_600);
      }
      assertThat(requests).as("the SERVER span; its child roll is no request").isEqualTo(1);
      assertThat(svc.get("faults")).extracting(JsonNode::asLong).containsOnly(0L);
      assertThat(get(api, "/api/red?period=soon", 400).get("error").asText()).startsWith("period");

      assertThat(get(api, "/api/traces/" + "0".repeat(31) + "1", 404).get("error").asText()).startsWith("no trace");
      assertThat(get(api, "/api/traces/nope", 400).get("error").asText()).startsWith("trace id \"nope\"");
      assertThat(get(api, "/api/traces?minDuration=soon", 400).get("error").asText())
          .isEqualTo("minDuration: \"soon\" (expected: a duration such as 250ms, 2s, 15m)");
      assertThat(get(api, "/api/traces?limit=0", 400).get("error").asText()).contains("limit");
    }
  }

  private static JsonNode get(BlockingWebClient api, String path, int status) throws Exception {
    AggregatedHttpResponse r = api.get(path);
    assertThat(r.status().code()).as(path + " -> " + r.contentUtf8()).isEqualTo(status);
    return JSON.readTree(r.contentUtf8());
  }
}
