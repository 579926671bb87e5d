package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
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
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

/** Items the store would drop are reported in partial_success; the memory_limiter refuses before decoding. */
class OtlpReceiverPartialTest {
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  /** 5 spans: #1 has an all-zero trace id, #3 ends before it starts. */
  private static ExportTraceServiceRequest twoBad() {
    ExportTraceServiceRequest req = TestData.traces(1, 1, 5, 0);
    var ss = req.getResourceSpans(0).getScopeSpans(0).toBuilder();
    ss.setSpans(1, ss.getSpans(1).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])));
    Span s3 = ss.getSpans(3);
    ss.setSpans(3, s3.toBuilder().setEndTimeUnixNano(s3.getStartTimeUnixNano() - 1));
    return req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder().setScopeSpans(0, ss)).build();
  }

  @Test
  void zeroTraceId_andEndBeforeStart_arePartialSuccess_goodSpansForwarded() throws Exception {
    try (ReceiverHarness h = ReceiverHarness.plain()) {
      TraceServiceGrpc.TraceServiceBlockingStub grpc = GrpcClients.newClient(h.grpcUrl(),
          TraceServiceGrpc.TraceServiceBlockingStub.class);
      ExportTraceServiceResponse g = grpc.export(twoBad());
      assertThat(g.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
      assertThat(g.getPartialSuccess().getErrorMessage()).isEqualTo("2 spans rejected (not stored); the first:"
          + " resource_spans[0].scope_spans[0].spans[1]: trace_id: all zeros (W3C calls that invalid)");
      assertThat(h.capture().items(Signal.TRACES)).isEqualTo(3);

      BlockingWebClient http = WebClient.of(h.httpUrl()).blocking();
      AggregatedHttpResponse r = http.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
          .contentType(PROTOBUF).build(), HttpData.wrap(twoBad().toByteArray())));
      assertThat(r.status().code()).isEqualTo(200);
      ExportTraceServiceResponse p = ExportTraceServiceResponse.parseFrom(r.content().array());
      assertThat(p.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
      assertThat(h.capture().items(Signal.TRACES)).isEqualTo(6);

      AggregatedHttpResponse json = http.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
          .contentType(MediaType.JSON).build(), HttpData.wrap(OtlpJson.write(twoBad()))));
      assertThat(json.contentUtf8()).contains("\"rejectedSpans\":\"2\"").contains("trace_id: all zeros");
    }
  }

  /** A memory_limiter that refuses (its limit is far below the heap in use): nothing is decoded. */
  @Test
  void limiterRefusing_answers429AndResourceExhausted_beforeDecoding() throws Exception {
    try (ReceiverHarness h = new ReceiverHarness("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "localhost:${GRPC}"}
              http: {endpoint: "localhost:${HTTP}"}
        processors: {memory_limiter: {check_interval: 1s, limit_mib: 2}}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [otlp], processors: [memory_limiter], exporters: [capture]}}}
        """)) {
      // Garbage bodies: decoding them would answer 400 / INVALID_ARGUMENT, so 429 proves nothing was decoded.
      AggregatedHttpResponse r = WebClient.of(h.httpUrl()).blocking().execute(HttpRequest.of(
          RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(PROTOBUF).build(),
          HttpData.wrap(new byte[] {(byte) 0xff, 1, 2})));
      assertThat(r.status().code()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isEqualTo("1");
      assertThat(com.google.rpc.Status.parseFrom(r.content().array()).getMessage())
          .startsWith("memory_limiter memory_limiter: data refused, heap in use");

      AggregatedHttpResponse g = WebClient.builder(h.grpcUrl()).responseTimeoutMillis(10_000).build().blocking()
          .execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST,
              "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
              .contentType(MediaType.parse("application/grpc")).add("te", "trailers").build(),
              HttpData.wrap(OtlpReceiverErrorsTest.grpcFrame(new byte[] {(byte) 0xff, 1, 2}))));
      assertThat(OtlpReceiverErrorsTest.grpcStatus(g)).isEqualTo("8");

      TraceServiceGrpc.TraceServiceBlockingStub grpc = GrpcClients.newClient(h.grpcUrl(),
          TraceServiceGrpc.TraceServiceBlockingStub.class);
      assertThatThrownBy(() -> grpc.export(TestData.traces(1, 1, 1, 0)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            com.google.rpc.Status detail = StatusProto.fromThrowable(e);
            assertThat(detail).isNotNull();
            assertThat(detail.getDetailsList()).anySatisfy(a -> {
              assertThat(a.is(RetryInfo.class)).isTrue();
              assertThat(a.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);
            });
          });
      assertThat(h.capture().items(Signal.TRACES)).isZero();
    }
  }
}
