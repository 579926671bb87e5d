package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the embedded engine (the default), what was stored is still there after Kansoku restarts. */
class StoreRestartTest {
  @TempDir Path dir;

  @Test
  void embeddedStore_survivesRestart() throws Exception {
    int grpcPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    Map<String, String> env = Map.of("GRPC_PORT", String.valueOf(grpcPort), "API_PORT", String.valueOf(apiPort),
        "STORAGE_TYPE", "embedded", "DATA_DIR", dir.toString());
    String traceId;
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/store-query.yaml"), env::get)) {
      SdkTracerProvider tracing = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dice-server")))
          .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://localhost:" + grpcPort).build())).build();
      var span = tracing.get("dice").spanBuilder("GET /rolldice").setSpanKind(SpanKind.SERVER).startSpan();
      span.end();
      traceId = span.getSpanContext().getTraceId();
      assertThat(tracing.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/store-query.yaml"), env::get)) {
      var r = WebClient.of("http://127.0.0.1:" + apiPort).blocking().get("/api/traces/" + traceId);
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
      assertThat(r.contentUtf8()).contains("\"name\":\"GET /rolldice\"").contains("\"service\":\"dice-server\"");
    }
  }
}
