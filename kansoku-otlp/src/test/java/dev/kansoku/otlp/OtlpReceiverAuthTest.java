package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import org.junit.jupiter.api.Test;

/** Bearer-token auth, CORS, and the overload answer of memory_limiter, as clients see them. */
class OtlpReceiverAuthTest {
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private static AggregatedHttpResponse post(BlockingWebClient http, String token) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(PROTOBUF);
    if (token != null) {
      h.add("authorization", "Bearer " + token);
    }
    return http.execute(HttpRequest.of(h.build(), HttpData.wrap(TestData.traces(1, 1, 1, 0).toByteArray())));
  }

  @Test
  void bearerToken_requiredOnBothProtocols() throws Exception {
    try (ReceiverHarness h = new ReceiverHarness("""
        extensions: {bearertokenauth: {token: s3cret}}
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "localhost:${GRPC}", auth: {authenticator: bearertokenauth}}
              http:
                endpoint: "localhost:${HTTP}"
                auth: {authenticator: bearertokenauth}
                cors: {allowed_origins: ["https://app.example.com"]}
        exporters: {capture: }
        service:
          extensions: [bearertokenauth]
          pipelines: {traces: {receivers: [otlp], exporters: [capture]}}
        """)) {
      BlockingWebClient http = WebClient.of(h.httpUrl()).blocking();
      assertThat(post(http, null).status().code()).isEqualTo(401);
      assertThat(post(http, "wrong").status().code()).isEqualTo(401);
      assertThat(post(http, "s3cret").status().code()).isEqualTo(200);

      AggregatedHttpResponse preflight = http.execute(RequestHeaders.builder(HttpMethod.OPTIONS, "/v1/traces")
          .add("origin", "https://app.example.com").add("access-control-request-method", "POST").build());
      assertThat(preflight.headers().get("access-control-allow-origin")).isEqualTo("https://app.example.com");

      var denied = GrpcClients.newClient(h.grpcUrl(), TraceServiceGrpc.TraceServiceBlockingStub.class);
      assertThatThrownBy(() -> denied.export(TestData.traces(1, 1, 1, 0)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      var allowed = GrpcClients.builder(h.grpcUrl()).addHeader("authorization", "Bearer s3cret")
          .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
      allowed.export(TestData.traces(1, 1, 1, 0));
      assertThat(h.capture().items(Signal.TRACES)).isEqualTo(2);
    }
  }

  @Test
  void authenticatorNotStarted_failsStartWithPath() {
    assertThatThrownBy(() -> new ReceiverHarness("""
        extensions: {bearertokenauth: {token: s3cret}}
        receivers:
          otlp:
            protocols:
              http: {endpoint: "localhost:${HTTP}", auth: {authenticator: bearertokenauth}}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [otlp], exporters: [capture]}}}
        """)).hasMessage("cannot start receiver \"otlp\": protocols::http::auth::authenticator: \"bearertokenauth\""
        + " is not an authenticator extension listed in service::extensions");
  }

  @Test
  void memoryLimiterRefusal_isRetryableOnBothProtocols() throws Exception {
    // A 1 MiB limit is always exceeded by live data, so every batch is refused.
    try (ReceiverHarness h = new ReceiverHarness("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "localhost:${GRPC}"}
              http: {endpoint: "localhost:${HTTP}"}
        processors: {memory_limiter: {check_interval: 1h, limit_mib: 2, spike_limit_mib: 1}}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [otlp], processors: [memory_limiter], exporters: [capture]}}}
        """)) {
      AggregatedHttpResponse r = post(WebClient.of(h.httpUrl()).blocking(), null);
      assertThat(r.status().code()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isEqualTo("3600");

      var stub = GrpcClients.newClient(h.grpcUrl(), TraceServiceGrpc.TraceServiceBlockingStub.class);
      assertThatThrownBy(() -> stub.export(TestData.traces(1, 1, 1, 0)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            assertThat(status).isNotNull();
            assertThat(status.getDetailsList()).anySatisfy(d -> {
              try {
                assertThat(d.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(3600);
              } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
              }
            });
          });
      assertThat(h.capture().items(Signal.TRACES)).isZero();
    }
  }
}
