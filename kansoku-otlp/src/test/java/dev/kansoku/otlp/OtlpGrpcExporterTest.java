package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.kansoku.pipeline.ClientAuthenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import com.linecorp.armeria.common.TlsKeyPair;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpGrpcExporterTest {
  static ExporterTestServer server;
  static final TlsKeyPair tlsKey = TlsKeyPair.ofSelfSigned("localhost");
  static ExporterTestServer tlsServer;
  OtlpGrpcExporter exporter;

  /** Offers one client authenticator, bearertokenauth, as the service would after starting it. */
  static final Host HOST = new Host() {
    @Override
    public <E> Optional<E> extension(ComponentId id, Class<E> type) {
      ClientAuthenticator auth = request -> Map.of("Authorization", "Bearer s3cret");
      return id.type().equals("bearertokenauth") ? Optional.of(type.cast(auth)) : Optional.empty();
    }
  };

  @BeforeAll
  static void startServer() {
    server = new ExporterTestServer();
    tlsServer = new ExporterTestServer(tlsKey);
  }

  @AfterAll
  static void stopServer() {
    server.close();
    tlsServer.close();
  }

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.shutdown();
    }
    server.reset();
    tlsServer.reset();
  }

  /** Plain text to the test server, fast retries, sends on the caller's thread unless a test queues. */
  OtlpGrpcExporterConfig config() {
    OtlpGrpcExporterConfig c = new OtlpGrpcExporterConfig();
    c.endpoint = "http://127.0.0.1:" + server.port();
    c.timeout = Duration.ofSeconds(2);
    c.retryOnFailure.initialInterval = Duration.ofMillis(5);
    c.retryOnFailure.maxInterval = Duration.ofMillis(20);
    c.retryOnFailure.maxElapsedTime = Duration.ofSeconds(1);
    c.sendingQueue.enabled = false;
    return c;
  }

  OtlpGrpcExporter start(OtlpGrpcExporterConfig c) throws Exception {
    c.validate();
    exporter = new OtlpGrpcExporter("otlp/test", c);
    exporter.start(HOST);
    return exporter;
  }

  static ExportTraceServiceRequest traces(int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder()
          .setTraceId(ByteString.fromHex("5b8efff798038103d269b633813fc60c"))
          .setSpanId(ByteString.fromHex(String.format("eee19b7ec3c1b1%02x", i)))
          .setName("GET /rolldice")
          .setStartTimeUnixNano(1_700_000_000_000_000_000L)
          .setEndTimeUnixNano(1_700_000_000_123_000_000L)
          .addAttributes(KeyValue.newBuilder().setKey("http.route")
              .setValue(AnyValue.newBuilder().setStringValue("/rolldice"))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("dice"))))
        .addScopeSpans(ss)).build();
  }

  static ExportMetricsServiceRequest metrics() {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("rolls").setGauge(
            Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(6)))))).build();
  }

  static ExportLogsServiceRequest logs() {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setSeverityText("INFO").setBody(AnyValue.newBuilder().setStringValue("rolled a 6"))))).build();
  }

  @Test
  void allSignals_arriveIntact_withHeadersAuthAndGzip() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.headers.put("x-tenant", "acme");
    c.auth.authenticator = "bearertokenauth";
    start(c);

    exporter.consumer(Signal.TRACES).consume(traces(3));
    exporter.consumer(Signal.METRICS).consume(metrics());
    exporter.consumer(Signal.LOGS).consume(logs());

    assertThat(server.received).containsExactly(traces(3), metrics(), logs());
    assertThat(server.headers).hasSize(3).allSatisfy(h -> {
      assertThat(h.get("x-tenant")).isEqualTo("acme");
      assertThat(h.get("authorization")).isEqualTo("Bearer s3cret");
      assertThat(h.get("grpc-encoding")).isEqualTo("gzip");
    });
    assertThat(server.headers.get(0).path()).isEqualTo("/opentelemetry.proto.collector.trace.v1.TraceService/Export");
  }

  @Test
  void compressionNone_sendsIdentity() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.compression = "none";
    start(c);

    exporter.consumer(Signal.TRACES).consume(traces(1));

    assertThat(server.headers.get(0).get("grpc-encoding")).isNull();
    assertThat(server.received).containsExactly(traces(1));
  }

  @Test
  void unavailable_retriedThenSuccess() throws Exception {
    server.failNextGrpc(2, Status.Code.UNAVAILABLE, null);
    start(config());

    exporter.consumer(Signal.TRACES).consume(traces(2));

    assertThat(server.attempts).hasValue(3);
    assertThat(server.received).containsExactly(traces(2));
  }

  @Test
  void resourceExhaustedWithRetryInfo_retried() throws Exception {
    server.failNextGrpc(1, Status.Code.RESOURCE_EXHAUSTED, Duration.ofMillis(30));
    start(config());

    exporter.consumer(Signal.TRACES).consume(traces(1));

    assertThat(server.attempts).hasValue(2);
  }

  @Test
  void invalidArgument_notRetried() throws Exception {
    server.failNextGrpc(5, Status.Code.INVALID_ARGUMENT, null);
    start(config());

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1)))
        .isInstanceOf(ConsumeException.class)
        .hasMessageStartingWith("exporter otlp/test: http://127.0.0.1:" + server.port()
            + " answered gRPC INVALID_ARGUMENT: scripted INVALID_ARGUMENT")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isFalse());
    assertThat(server.attempts).hasValue(1);
  }

  @Test
  void partialSuccess_isNotAnError() throws Exception {
    server.rejectSpans = 2;
    start(config());

    exporter.consumer(Signal.TRACES).consume(traces(3));

    assertThat(server.received).hasSize(1);
  }

  @Test
  void queue_drainsOnShutdown() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.sendingQueue.enabled = true;
    c.sendingQueue.numConsumers = 2;
    server.failNextGrpc(3, Status.Code.UNAVAILABLE, null);
    start(c);
    for (int i = 1; i <= 5; i++) {
      exporter.consumer(Signal.TRACES).consume(traces(i));
    }

    exporter.shutdown();

    assertThat(server.received).containsExactlyInAnyOrder(traces(1), traces(2), traces(3), traces(4), traces(5));
    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1)))
        .hasMessage("exporter otlp/test is shutting down");
  }

  @Test
  void connectionRefused_isRetryable() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.retryOnFailure.enabled = false;
    int port = ExporterTestServer.closedPort();
    c.endpoint = "http://127.0.0.1:" + port;
    start(c);

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1)))
        .isInstanceOf(ConsumeException.class)
        .hasMessageContaining("answered gRPC UNAVAILABLE: ")
        .hasMessageContaining("Connection refused")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isTrue());
  }

  @Test
  void bareHostPort_usesTls() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.endpoint = "127.0.0.1:" + tlsServer.port();
    c.tls.insecureSkipVerify = true; // self-signed test certificate
    start(c);

    exporter.consumer(Signal.TRACES).consume(traces(2));

    assertThat(tlsServer.received).containsExactly(traces(2));
    assertThat(tlsServer.headers.get(0).scheme()).isEqualTo("https");
    assertThat(tlsServer.clientCertificates).containsExactly("none");
  }

  @Test
  void caFileAndClientCertificate_mutualTls(@TempDir Path dir) throws Exception {
    TlsKeyPair clientKey = TlsKeyPair.ofSelfSigned("client");
    OtlpGrpcExporterConfig c = config();
    c.endpoint = "localhost:" + tlsServer.port();
    // No insecure_skip_verify: the server's certificate must verify against ca_file.
    c.tls.caFile = ExporterTestServer.pem(dir.resolve("ca.pem"), "CERTIFICATE",
        tlsKey.certificateChain().get(0).getEncoded()).toString();
    c.tls.certFile = ExporterTestServer.pem(dir.resolve("client.pem"), "CERTIFICATE",
        clientKey.certificateChain().get(0).getEncoded()).toString();
    c.tls.keyFile = ExporterTestServer.pem(dir.resolve("client.key"), "PRIVATE KEY",
        clientKey.privateKey().getEncoded()).toString();
    start(c);

    exporter.consumer(Signal.TRACES).consume(traces(1));

    assertThat(tlsServer.received).containsExactly(traces(1));
    assertThat(tlsServer.clientCertificates).containsExactly("CN=client");
  }

  @Test
  void untrustedServerCertificate_fails() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.endpoint = "localhost:" + tlsServer.port(); // TLS, system trust store: a self-signed certificate fails
    c.retryOnFailure.enabled = false;
    start(c);

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1))).isInstanceOf(ConsumeException.class);
    assertThat(tlsServer.received).isEmpty();
  }

  @Test
  void unreadableCaFile_failsStart() {
    OtlpGrpcExporterConfig c = config();
    c.tls.caFile = "/nonexistent/ca.pem";
    exporter = new OtlpGrpcExporter("otlp/test", c);

    assertThatThrownBy(() -> exporter.start(HOST))
        .hasMessage("tls::ca_file: cannot read \"/nonexistent/ca.pem\" (expected: a readable PEM file)");
  }

  @Test
  void bareHostPort_againstPlainTextServer_failsRetryably() throws Exception {
    OtlpGrpcExporterConfig c = config();
    c.endpoint = "127.0.0.1:" + server.port(); // TLS by default, the server speaks plain text
    c.retryOnFailure.enabled = false;
    start(c);

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1)))
        .isInstanceOf(ConsumeException.class)
        .hasMessageStartingWith("exporter otlp/test: https://127.0.0.1:" + server.port() + " answered gRPC UNAVAILABLE");
    assertThat(server.received).isEmpty();
  }

  @Test
  void missingAuthenticator_failsStart() {
    OtlpGrpcExporterConfig c = config();
    c.auth.authenticator = "oauth2client";
    exporter = new OtlpGrpcExporter("otlp/test", c);

    assertThatThrownBy(() -> exporter.start(HOST)).hasMessage("auth::authenticator: extension \"oauth2client\" is "
        + "not configured or cannot authenticate clients (expected: the id of a client authenticator such as "
        + "bearertokenauth under extensions)");
  }

  @Test
  void shutdown_withoutStart() {
    exporter = new OtlpGrpcExporter("otlp/test", config());
    exporter.shutdown();
    exporter.shutdown();
  }

  @Test
  void statusMapping() {
    check(Status.Code.UNAVAILABLE, true);
    check(Status.Code.RESOURCE_EXHAUSTED, true);
    check(Status.Code.CANCELLED, true);
    check(Status.Code.DEADLINE_EXCEEDED, true);
    check(Status.Code.ABORTED, true);
    check(Status.Code.OUT_OF_RANGE, true);
    check(Status.Code.DATA_LOSS, true);
    check(Status.Code.INVALID_ARGUMENT, false);
    check(Status.Code.UNAUTHENTICATED, false);
    check(Status.Code.PERMISSION_DENIED, false);
    check(Status.Code.UNIMPLEMENTED, false);
    check(Status.Code.INTERNAL, false);
    check(Status.Code.UNKNOWN, false);
    check(Status.Code.NOT_FOUND, false);
  }

  private static void check(Status.Code code, boolean retryable) {
    ConsumeException e = OtlpGrpcExporter.toConsumeException("otlp", URI.create("http://h:1"),
        code.toStatus().withDescription("why"), null, null);
    assertThat(e.retryable()).as(code.toString()).isEqualTo(retryable);
    assertThat(e.getMessage()).isEqualTo("exporter otlp: http://h:1 answered gRPC " + code + ": why");
  }

  @Test
  void retryInfo_becomesRetryAfter() {
    StatusRuntimeException sre = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.RESOURCE_EXHAUSTED.value()).setMessage("slow down")
        .addDetails(com.google.protobuf.Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(7).setNanos(500_000_000)).build()))
        .build());

    ConsumeException e = OtlpGrpcExporter.toConsumeException("otlp", URI.create("http://h:1"), sre.getStatus(),
        sre.getTrailers(), sre);

    assertThat(e.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED);
    assertThat(e.retryAfter()).contains(Duration.ofMillis(7500));
  }
}
