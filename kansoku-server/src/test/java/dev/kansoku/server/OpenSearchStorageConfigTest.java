package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.kansoku.api.KansokuExporterFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.opensearch.OpenSearchTestNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code storage: {type: opensearch}} through the collector's own config path: the {@code kansoku}
 * exporter writes spans into a real OpenSearch node and the native query API reads them back.
 */
class OpenSearchStorageConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exporter_writes_spans_that_the_query_api_reads() throws Exception {
    String node = OpenSearchTestNode.shared().url();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestComponents components = new TestComponents();
    ComponentRegistry registry = components.registry(Components.kansokuExtension(), new KansokuExporterFactory());
    String yaml = """
        extensions:
          kansoku:
            endpoint: "127.0.0.1:%d"
            storage:
              type: opensearch
              opensearch: {endpoints: ["%s"], index_prefix: "ext-%s", replicas: 0, refresh_interval: 50ms}
        receivers: {push: }
        exporters: {kansoku: }
        service: {extensions: [kansoku], pipelines: {traces: {receivers: [push], exporters: [kansoku]}}}
        """.formatted(port, node, UUID.randomUUID().toString().substring(0, 8));
    Service service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml),
        n -> null)), registry);
    service.start();
    try {
      byte[] traceId = HexFormat.of().parseHex("5759e988bd862e3fe1be46a994272793");
      long start = System.currentTimeMillis() * 1_000_000L;
      components.receiver("push").push(Signal.TRACES, ExportTraceServiceRequest.newBuilder().addResourceSpans(
          ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                  .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("dice-server"))))
              .addScopeSpans(ScopeSpans.newBuilder()
                  .addSpans(span(traceId, "0000000000000001", null, "GET /rolldice", start, 250))
                  .addSpans(span(traceId, "0000000000000002", "0000000000000001", "roll", start + 1_000_000, 5))))
          .build());

      JsonNode trace = get(port, "/api/traces/5759e988bd862e3fe1be46a994272793");
      assertThat(trace.path("spans").size()).isEqualTo(2);
      assertThat(trace.path("spans").get(0).path("name").asText()).isEqualTo("GET /rolldice");
      assertThat(trace.path("spans").get(1).path("name").asText()).isEqualTo("roll");
      assertThat(trace.path("spans").get(1).path("parentSpanId").asText()).isEqualTo("0000000000000001");
      assertThat(get(port, "/api/services").path("services").toString()).isEqualTo("[\"dice-server\"]");
    } finally {
      service.shutdown();
    }
  }

  @Test
  void opensearch_settings_are_validated_with_their_path() {
    ComponentRegistry registry = new TestComponents().registry(Components.kansokuExtension());
    assertThatThrownBy(() -> load(registry, "{type: opensearch}"))
        .hasMessageContaining("storage::opensearch::endpoints: empty (expected: at least one");
    assertThatThrownBy(() -> load(registry, "{type: opensearch, opensearch: {endpoints: [\"localhost:9200\"]}}"))
        .hasMessageContaining("storage::opensearch::endpoints: \"localhost:9200\" (expected: http://host:port");
    assertThatThrownBy(() -> load(registry,
        "{type: opensearch, opensearch: {endpoints: [\"http://a:9200\"], refresh: \"true\"}}"))
        .hasMessageContaining("storage::opensearch::refresh: \"true\" (expected: wait_for or false)");
    assertThatThrownBy(() -> load(registry,
        "{type: opensearch, opensearch: {endpoints: [\"http://a:9200\"], aws_sigv4: {region: us-west-2, service: s3}}}"))
        .hasMessageContaining("storage::opensearch::aws_sigv4::service: \"s3\" (expected: es or aoss)");
    assertThatThrownBy(() -> load(registry,
        "{type: opensearch, opensearch: {endpoints: [\"http://a:9200\"], bulk: {max_bytes: lots}}}"))
        .hasMessageContaining("storage::opensearch::bulk::max_bytes: \"lots\" (expected: a size");
    assertThatThrownBy(() -> load(registry,
        "{type: opensearch, opensearch: {endpoints: [\"http://a:9200\"], codec: zstd}}"))
        .hasMessageContaining("storage::opensearch::codec: \"zstd\" (expected: best_compression or default)");
  }

  private static void load(ComponentRegistry registry, String storage) throws Exception {
    String yaml = """
        extensions: {kansoku: {storage: %s}}
        receivers: {push: }
        exporters: {capture: }
        service: {extensions: [kansoku], pipelines: {traces: {receivers: [push], exporters: [capture]}}}
        """.formatted(storage);
    new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null));
  }

  private static Span span(byte[] traceId, String spanId, String parent, String name, long start, long millis) {
    Span.Builder b = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId))).setName(name)
        .setKind(parent == null ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + millis * 1_000_000);
    if (parent != null) {
      b.setParentSpanId(ByteString.copyFrom(HexFormat.of().parseHex(parent)));
    }
    return b.build();
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
