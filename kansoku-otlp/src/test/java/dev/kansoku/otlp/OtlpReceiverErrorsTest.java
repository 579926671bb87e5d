package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets the protocol's own error, and the receiver keeps serving good requests afterwards. */
class OtlpReceiverErrorsTest {
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
  private static ReceiverHarness harness;
  private static BlockingWebClient http;
  private static TraceServiceGrpc.TraceServiceBlockingStub grpc;

  @BeforeAll
  static void start() throws Exception {
    harness = ReceiverHarness.plain();
    http = WebClient.of(harness.httpUrl()).blocking();
    grpc = GrpcClients.newClient(harness.grpcUrl(), TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** After every bad request, a good one over each protocol still goes through. */
  @AfterEach
  void stillServing() {
    harness.capture().clear();
    ExportTraceServiceRequest good = TestData.traces(1, 1, 2, 100);
    assertThat(post("/v1/traces", PROTOBUF, good.toByteArray()).status().code()).isEqualTo(200);
    grpc.export(good);
    assertThat(harness.capture().items(Signal.TRACES)).isEqualTo(4);
    harness.capture().clear();
  }

  private static AggregatedHttpResponse post(String path, MediaType type, byte[] body) {
    return http.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, path).contentType(type).build(),
        HttpData.wrap(body)));
  }

  private static com.google.rpc.Status statusBody(AggregatedHttpResponse r) throws Exception {
    return com.google.rpc.Status.parseFrom(r.content().array());
  }

  @Test
  void http_garbageProtobuf_is400WithStatusBody() throws Exception {
    AggregatedHttpResponse r = post("/v1/traces", PROTOBUF, new byte[] {(byte) 0xff, 0x01, 0x02, 0x03});
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(statusBody(r).getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(statusBody(r).getMessage()).startsWith("cannot parse the traces request as OTLP protobuf");
  }

  @Test
  void http_truncatedProtobuf_is400() throws Exception {
    byte[] whole = TestData.traces(1, 1, 5, 0).toByteArray();
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 7);
    AggregatedHttpResponse r = post("/v1/traces", PROTOBUF, cut);
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(statusBody(r).getMessage()).contains("truncated");
  }

  @Test
  void http_json_okAnswersJson_andErrorsAreJsonStatus() {
    AggregatedHttpResponse ok = post("/v1/logs", MediaType.JSON, ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":"
        + "[{\"body\":{\"stringValue\":\"hi\"},\"traceId\":\"5b8efff798038103d269b633813fc60c\"}]}]}]}").getBytes());
    assertThat(ok.status().code()).isEqualTo(200);
    assertThat(ok.contentType().is(MediaType.JSON)).isTrue();
    assertThat(ok.contentUtf8()).isEqualTo("{\"partialSuccess\":{}}");
    assertThat(harness.capture().items(Signal.LOGS)).isEqualTo(1);

    AggregatedHttpResponse bad = post("/v1/traces", MediaType.JSON, ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":"
        + "[{\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}").getBytes());
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(bad.contentUtf8()).startsWith("{\"code\":3,\"message\":\"cannot parse the traces request as OTLP/JSON:"
        + " resourceSpans[0].scopeSpans[0].spans[0].traceId: \\\"W47/95gDgQPSabYzgT/GDA==\\\" is not 32 hex digits");

    assertThat(post("/v1/traces", MediaType.JSON, "{\"resourceSpans\": [".getBytes()).status().code()).isEqualTo(400);
    harness.capture().clear();
  }

  @Test
  void http_wrongContentType_is415() {
    AggregatedHttpResponse r = post("/v1/traces", MediaType.PLAIN_TEXT_UTF_8, "hello".getBytes());
    assertThat(r.status().code()).isEqualTo(415);
    assertThat(r.contentUtf8()).isEqualTo(
        "Content-Type text/plain; charset=utf-8 is not supported (expected: application/x-protobuf or application/json)");
  }

  @Test
  void http_oversizeBody_is413() {
    AggregatedHttpResponse r = post("/v1/traces", PROTOBUF, new byte[200_000]);
    assertThat(r.status().code()).isEqualTo(413);
  }

  private static byte[] gzip(byte[] plain) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(plain);
    }
    return bytes.toByteArray();
  }

  private static AggregatedHttpResponse postGzip(byte[] body) {
    return http.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
        .contentType(PROTOBUF).add("content-encoding", "gzip").build(), HttpData.wrap(body)));
  }

  @Test
  void http_gzipBomb_is413_fromItsDeclaredSize() throws Exception {
    AggregatedHttpResponse r = postGzip(gzip(new byte[1_000_000]));
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(statusBody(r).getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(statusBody(r).getMessage()).isEqualTo("the decompressed body declares 1000000 bytes, more than"
        + " max_request_body_size (100000 bytes)");
  }

  @Test
  void http_gzipBomb_lyingAboutItsSize_is413_whileInflating() throws Exception {
    byte[] bomb = gzip(new byte[1_000_000]);
    bomb[bomb.length - 4] = 10; // ISIZE says 10 bytes
    bomb[bomb.length - 3] = 0;
    bomb[bomb.length - 2] = 0;
    bomb[bomb.length - 1] = 0;
    AggregatedHttpResponse r = postGzip(bomb);
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(statusBody(r).getMessage()).isEqualTo("the decompressed body is larger, more than"
        + " max_request_body_size (100000 bytes)");
  }

  @Test
  void grpc_gzipBomb_isResourceExhausted() {
    ExportTraceServiceRequest bomb = TestData.traces(1, 1, 1, 0).toBuilder()
        .setResourceSpans(0, TestData.traces(1, 1, 1, 0).getResourceSpans(0).toBuilder()
            .setSchemaUrl("x".repeat(6 << 20))).build();
    assertThatThrownBy(() -> grpc.withCompression("gzip").export(bomb))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void http_unknownEncoding_is400() throws Exception {
    AggregatedHttpResponse r = http.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
        .contentType(PROTOBUF).add("content-encoding", "br").build(), HttpData.wrap(new byte[] {1})));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(statusBody(r).getMessage())
        .isEqualTo("Content-Encoding \"br\" is not supported (expected: gzip, deflate or none)");
  }

  @Test
  void http_wrongLengthTraceId_is400NamingTheSpan() throws Exception {
    ExportTraceServiceRequest bad = withTraceId(TestData.traces(1, 1, 3, 0), 2, ByteString.copyFrom(new byte[15]));
    AggregatedHttpResponse r = post("/v1/traces", PROTOBUF, bad.toByteArray());
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(statusBody(r).getMessage())
        .isEqualTo("resource_spans[0].scope_spans[0].spans[2]: trace_id: 15 bytes (expected: 16)");
    assertThat(harness.capture().items(Signal.TRACES)).isZero();
  }

  @Test
  void http_unknownPath_is404_andGet_is405() {
    assertThat(post("/v1/trace", PROTOBUF, new byte[0]).status().code()).isEqualTo(404);
    assertThat(http.get("/v1/traces").status().code()).isEqualTo(405);
  }

  @Test
  void grpc_wrongLengthSpanId_isInvalidArgument() {
    ExportTraceServiceRequest req = TestData.traces(1, 1, 1, 0);
    ExportTraceServiceRequest bad = req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder()
        .setScopeSpans(0, req.getResourceSpans(0).getScopeSpans(0).toBuilder()
            .setSpans(0, req.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
                .setSpanId(ByteString.copyFrom(new byte[4]))))).build();
    assertThatThrownBy(() -> grpc.export(bad)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription())
          .isEqualTo("resource_spans[0].scope_spans[0].spans[0]: span_id: 4 bytes (expected: 8)");
    });
  }

  @Test
  void grpc_oversizeMessage_isResourceExhausted() {
    ExportTraceServiceRequest big = TestData.traces(1, 1, 1, 0).toBuilder()
        .setResourceSpans(0, TestData.traces(1, 1, 1, 0).getResourceSpans(0).toBuilder()
            .setSchemaUrl("x".repeat(5 << 20))).build();
    assertThatThrownBy(() -> grpc.export(big)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void grpc_garbageProtobuf_isInvalidArgument() {
    byte[] garbage = {0, 0, 0, 0, 4, (byte) 0xff, 1, 2, 3};
    AggregatedHttpResponse r = rawGrpc(RequestHeaders.builder(HttpMethod.POST,
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export"), garbage);
    assertThat(grpcStatus(r)).isEqualTo("3");
    assertThat(grpcMessage(r)).startsWith("cannot parse the request as OTLP protobuf: ");
  }

  @Test
  void grpc_malformedBinaryHeader_isAnsweredAtOnce_withInternal() {
    byte[] frame = grpcFrame(TestData.traces(1, 1, 1, 0).toByteArray());
    AggregatedHttpResponse r = rawGrpc(RequestHeaders.builder(HttpMethod.POST,
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export").add("foo-bin", "!!!notbase64"), frame);
    assertThat(grpcStatus(r)).isEqualTo("13");
    assertThat(grpcMessage(r)).isEqualTo("malformed binary metadata in header \"foo-bin\": Illegal base64 character 21");
    assertThat(harness.capture().items(Signal.TRACES)).isZero();
    // valid base64, padded or not, passes
    AggregatedHttpResponse ok = rawGrpc(RequestHeaders.builder(HttpMethod.POST,
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export").add("foo-bin", "AQID,AQI"), frame);
    assertThat(grpcStatus(ok)).isEqualTo("0");
  }

  static byte[] grpcFrame(byte[] message) {
    byte[] frame = new byte[message.length + 5];
    java.nio.ByteBuffer.wrap(frame).put((byte) 0).putInt(message.length).put(message);
    return frame;
  }

  /** A gRPC call by hand (headers a gRPC client would refuse to send), with a 10 s answer deadline. */
  private static AggregatedHttpResponse rawGrpc(com.linecorp.armeria.common.RequestHeadersBuilder headers,
      byte[] body) {
    return WebClient.builder(harness.grpcUrl()).responseTimeoutMillis(10_000).build().blocking().execute(
        HttpRequest.of(headers.contentType(MediaType.parse("application/grpc")).add("te", "trailers").build(),
            HttpData.wrap(body)));
  }

  static String grpcStatus(AggregatedHttpResponse r) {
    String s = r.trailers().get("grpc-status");
    return s != null ? s : r.headers().get("grpc-status");
  }

  static String grpcMessage(AggregatedHttpResponse r) {
    String m = r.trailers().get("grpc-message");
    m = m != null ? m : r.headers().get("grpc-message");
    return m == null ? null : java.net.URLDecoder.decode(m.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static ExportTraceServiceRequest withTraceId(ExportTraceServiceRequest req, int span, ByteString id) {
    var rs = req.getResourceSpans(0).toBuilder();
    var ss = rs.getScopeSpans(0).toBuilder();
    ss.setSpans(span, ss.getSpans(span).toBuilder().setTraceId(id));
    rs.setScopeSpans(0, ss);
    return req.toBuilder().setResourceSpans(0, rs).build();
  }
}
