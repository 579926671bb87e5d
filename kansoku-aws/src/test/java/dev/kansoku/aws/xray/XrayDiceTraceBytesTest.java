package dev.kansoku.aws.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dice app's GET /rolldice trace (Spring Boot with the Java agent: a SERVER span, an INTERNAL
 * child, a CLIENT call) and the exact strings the collector's v0.156.0 awsxray translator sends for it.
 *
 * <p>The expected strings were written by hand from the Go code, not produced by running it:
 * {@code MakeSegment} for the values, the {@code awsxray.Segment} struct for member order and
 * omitempty, encoding/json for map-key order, float64 form ({@code strconv} 'f' shortest, so
 * {@code 1701377952.12}), HTML escaping ({@code &} as {@code \u0026}) and the newline
 * {@code json.Encoder.Encode} appends. The timestamps are multiples of 256 ns so that the uint64 to
 * float64 conversion is exact and the quotient is the nearest double to the decimal written. The
 * HTTP block follows the rules ported from the v0.156.0 http.go tests (the http_* golden cases): a
 * connection address (network.peer.address) means client.address is not from a header, so no
 * x_forwarded_for.
 */
class XrayDiceTraceBytesTest {
  private static final String TRACE = "6568f7a0f1e2d3c4b5a69788c7d6e5f4";
  private static final String XRAY_BLOCK =
      "\"aws\":{\"xray\":{\"sdk\":\"opentelemetry for java\",\"sdk_version\":\"1.44.1\",\"auto_instrumentation\":false}}";

  @Test
  void dice_trace_documents_equal_the_collectors_byte_for_byte() {
    Span server = span("e3c1b2a4d5f60718", "", "GET /rolldice", Span.SpanKind.SPAN_KIND_SERVER,
        1701377952_120000000L, 1701377952_132000000L,
        kv("http.request.method", "GET"), kv("url.scheme", "http"), kv("server.address", "localhost"),
        kv("server.port", 8080), kv("url.path", "/rolldice"), kv("http.route", "/rolldice"),
        kv("network.protocol.version", "1.1"), kv("network.peer.address", "127.0.0.1"),
        kv("network.peer.port", 52814), kv("client.address", "127.0.0.1"),
        kv("user_agent.original", "curl/8.5.0"), kv("http.response.status_code", 200));
    Span internal = span("7a1b2c3d4e5f6071", "e3c1b2a4d5f60718", "RollController.rollTheDice",
        Span.SpanKind.SPAN_KIND_INTERNAL, 1701377952_120000000L, 1701377952_128000000L,
        kv("code.function", "rollTheDice"), kv("code.namespace", "io.opentelemetry.dice.RollController"));
    Span client = span("0b1c2d3e4f506172", "7a1b2c3d4e5f6071", "GET", Span.SpanKind.SPAN_KIND_CLIENT,
        1701377952_124000000L, 1701377952_128000000L,
        kv("http.request.method", "GET"), kv("url.full", "http://dice-backend:8080/random?max=6&dice=1"),
        kv("server.address", "dice-backend"), kv("server.port", 8080),
        kv("network.protocol.version", "1.1"), kv("http.response.status_code", 200));
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(kv("service.name", "dice-server"))
                .addAttributes(kv("telemetry.sdk.language", "java"))
                .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(kv("telemetry.sdk.version", "1.44.1")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(server).addSpans(internal).addSpans(client)))
        .build();

    List<String> docs = XraySegments.translate(request,
        XrayOptions.DEFAULT.withEpochSeconds(() -> 1701377960L));

    assertThat(docs).containsExactly(
        "{\"name\":\"dice-server\",\"id\":\"e3c1b2a4d5f60718\",\"start_time\":1701377952.12,"
            + "\"trace_id\":\"1-6568f7a0-f1e2d3c4b5a69788c7d6e5f4\",\"end_time\":1701377952.132,"
            + "\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://localhost:8080/rolldice\","
            + "\"user_agent\":\"curl/8.5.0\",\"client_ip\":\"127.0.0.1\"},"
            + "\"response\":{\"status\":200,\"content_length\":0}},"
            + "\"fault\":false,\"error\":false,\"throttle\":false," + XRAY_BLOCK + ","
            + "\"metadata\":{\"default\":{\"http.route\":\"/rolldice\",\"network.peer.port\":52814,"
            + "\"network.protocol.version\":\"1.1\","
            + "\"otel.resource.service.name\":\"dice-server\",\"otel.resource.telemetry.sdk.language\":\"java\","
            + "\"otel.resource.telemetry.sdk.name\":\"opentelemetry\","
            + "\"otel.resource.telemetry.sdk.version\":\"1.44.1\"}}}\n",
        "{\"name\":\"RollController.rollTheDice\",\"id\":\"7a1b2c3d4e5f6071\",\"start_time\":1701377952.12,"
            + "\"trace_id\":\"1-6568f7a0-f1e2d3c4b5a69788c7d6e5f4\",\"end_time\":1701377952.128,"
            + "\"fault\":false,\"error\":false,\"throttle\":false," + XRAY_BLOCK + ","
            + "\"metadata\":{\"default\":{\"code.function\":\"rollTheDice\","
            + "\"code.namespace\":\"io.opentelemetry.dice.RollController\"}},"
            + "\"parent_id\":\"e3c1b2a4d5f60718\",\"type\":\"subsegment\"}\n",
        "{\"name\":\"GET\",\"id\":\"0b1c2d3e4f506172\",\"start_time\":1701377952.124,"
            + "\"trace_id\":\"1-6568f7a0-f1e2d3c4b5a69788c7d6e5f4\",\"end_time\":1701377952.128,"
            + "\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://dice-backend:8080/random?max=6\\u0026dice=1\"},"
            + "\"response\":{\"status\":200,\"content_length\":0}},"
            + "\"fault\":false,\"error\":false,\"throttle\":false," + XRAY_BLOCK + ","
            + "\"metadata\":{\"default\":{\"network.protocol.version\":\"1.1\"}},"
            + "\"namespace\":\"remote\",\"parent_id\":\"7a1b2c3d4e5f6071\",\"type\":\"subsegment\"}\n");
  }

  private static Span span(String id, String parent, String name, Span.SpanKind kind, long start, long end,
      KeyValue... attributes) {
    return Span.newBuilder().setTraceId(ByteString.fromHex(TRACE)).setSpanId(ByteString.fromHex(id))
        .setParentSpanId(ByteString.fromHex(parent)).setName(name).setKind(kind)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(end).addAllAttributes(List.of(attributes)).build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }
}
