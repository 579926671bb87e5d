package dev.kansoku.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import javax.annotation.Nullable;

/**
 * A real OTLP endpoint for exporter tests: gRPC services and /v1/* HTTP routes on one random port.
 * It records every request (headers and decoded body) and fails the next requests as told. One
 * server serves a whole test class (stopping Armeria costs seconds); {@link #reset} between tests.
 */
final class ExporterTestServer implements AutoCloseable {
  /** One scripted failure: a gRPC status (with optional RetryInfo) or an HTTP status (with optional Retry-After). */
  record Failure(@Nullable Status.Code grpc, @Nullable Duration retryInfo, int http, @Nullable String retryAfter,
      String message) {}

  final List<Message> received = new CopyOnWriteArrayList<>();
  final List<RequestHeaders> headers = new CopyOnWriteArrayList<>();
  final AtomicInteger attempts = new AtomicInteger();
  /** Per request over TLS: the subject of the client's certificate, or "none". */
  final List<String> clientCertificates = new CopyOnWriteArrayList<>();
  private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
  volatile long rejectSpans;
  private final Server server;

  ExporterTestServer() {
    this(null);
  }

  /**
   * @param tls serve HTTPS (and gRPC over TLS) with this key and certificate instead of plain text;
   *     a client certificate is asked for but optional, and recorded in {@link #clientCertificates}
   */
  ExporterTestServer(@Nullable TlsKeyPair tls) {
    com.linecorp.armeria.server.ServerBuilder sb = Server.builder();
    if (tls == null) {
      sb.http(0);
    } else {
      sb.https(0).tls(tls)
          .tlsCustomizer(ssl -> ssl.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE));
    }
    server = sb
        // Tests close the server between cases; the default graceful wait would add seconds to each.
        .gracefulShutdownTimeoutMillis(0, 0)
        .service(GrpcService.builder().addService(new Traces()).addService(new Metrics()).addService(new Logs()).build())
        .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(
            r -> http(r, ExportTraceServiceRequest.getDefaultInstance()))))
        .service("/v1/metrics", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(
            r -> http(r, ExportMetricsServiceRequest.getDefaultInstance()))))
        .service("/v1/logs", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(
            r -> http(r, ExportLogsServiceRequest.getDefaultInstance()))))
        .decorator((delegate, ctx, req) -> {
          headers.add(req.headers());
          if (ctx.sslSession() != null) {
            try {
              clientCertificates.add(((java.security.cert.X509Certificate) ctx.sslSession().getPeerCertificates()[0])
                  .getSubjectX500Principal().getName());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
              clientCertificates.add("none");
            }
          }
          return delegate.serve(ctx, req);
        })
        .build();
    server.start().join();
  }

  /** Forgets what was received and any failures still scripted, for the next test on the same server. */
  void reset() {
    received.clear();
    headers.clear();
    attempts.set(0);
    clientCertificates.clear();
    failures.clear();
    rejectSpans = 0;
  }

  /** A port nothing listens on (bound once, then released), for connection-failure tests. */
  static int closedPort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Writes {@code der} as a PEM block, the form tls::ca_file, cert_file and key_file read. */
  static java.nio.file.Path pem(java.nio.file.Path file, String type, byte[] der) throws IOException {
    String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return java.nio.file.Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type
        + "-----\n");
  }

  int port() {
    return server.activeLocalPort();
  }

  void failNextGrpc(int times, Status.Code code, @Nullable Duration retryInfo) {
    for (int i = 0; i < times; i++) {
      failures.add(new Failure(code, retryInfo, 0, null, "scripted " + code));
    }
  }

  void failNextHttp(int times, int status, @Nullable String retryAfter, String message) {
    for (int i = 0; i < times; i++) {
      failures.add(new Failure(null, null, status, retryAfter, message));
    }
  }

  @Override
  public void close() {
    server.stop().join();
  }

  private <Q, R> void grpc(Q req, StreamObserver<R> out, Supplier<R> ok) {
    attempts.incrementAndGet();
    Failure f = failures.poll();
    if (f != null) {
      com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
          .setCode(f.grpc().value()).setMessage(f.message());
      if (f.retryInfo() != null) {
        s.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(f.retryInfo().getSeconds()).setNanos(f.retryInfo().getNano())).build()));
      }
      out.onError(StatusProto.toStatusRuntimeException(s.build()));
      return;
    }
    received.add((Message) req);
    out.onNext(ok.get());
    out.onCompleted();
  }

  private final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(ExportTraceServiceRequest req, StreamObserver<ExportTraceServiceResponse> out) {
      grpc(req, out, () -> rejectSpans == 0 ? ExportTraceServiceResponse.getDefaultInstance()
          : ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(rejectSpans).setErrorMessage("span too old")).build());
    }
  }

  private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(ExportMetricsServiceRequest req, StreamObserver<ExportMetricsServiceResponse> out) {
      grpc(req, out, ExportMetricsServiceResponse::getDefaultInstance);
    }
  }

  private final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
    @Override
    public void export(ExportLogsServiceRequest req, StreamObserver<ExportLogsServiceResponse> out) {
      grpc(req, out, ExportLogsServiceResponse::getDefaultInstance);
    }
  }

  private HttpResponse http(AggregatedHttpRequest req, Message prototype) {
    attempts.incrementAndGet();
    Failure f = failures.poll();
    if (f != null) {
      ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.valueOf(f.http())).contentType(
          MediaType.parse("application/x-protobuf"));
      if (f.retryAfter() != null) {
        h.set(HttpHeaderNames.RETRY_AFTER, f.retryAfter());
      }
      byte[] body = com.google.rpc.Status.newBuilder().setCode(3).setMessage(f.message()).build().toByteArray();
      return HttpResponse.of(h.build(), com.linecorp.armeria.common.HttpData.wrap(body));
    }
    try {
      InputStream in = new ByteArrayInputStream(req.content().array());
      if ("gzip".equals(req.headers().get(HttpHeaderNames.CONTENT_ENCODING))) {
        in = new GZIPInputStream(in);
      }
      byte[] bytes = in.readAllBytes();
      boolean json = req.contentType() != null && req.contentType().is(MediaType.JSON);
      received.add(json ? OtlpJson.parse(prototype.getClass(), bytes)
          : prototype.newBuilderForType().mergeFrom(bytes).build());
    } catch (IOException | InvalidOtlpException e) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, "cannot decode: " + e);
    }
    return HttpResponse.of(HttpStatus.OK, MediaType.parse("application/x-protobuf"), new byte[0]);
  }
}
