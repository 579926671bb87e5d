package dev.kansoku.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.TlsKeyPair;
import dev.kansoku.pipeline.ClientAuthenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.TlsClientSettings;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import io.grpc.Codec;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code otlp}: exports every signal over OTLP/gRPC with Armeria's gRPC client. {@link
 * ExporterLifecycle} adds start/shutdown, queue and retry; this class opens the client, sends one
 * batch, and maps the endpoint's answer to {@link ConsumeException} as the OTLP specification says.
 */
final class OtlpGrpcExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcExporter.class);

  /**
   * Status codes after which the same request may succeed later (OTLP spec, "Failures").
   * RESOURCE_EXHAUSTED is retryable by the spec only with RetryInfo; we retry it regardless, as a
   * server that is out of resources usually recovers, and honour RetryInfo when given.
   */
  private static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.OUT_OF_RANGE, Status.Code.UNAVAILABLE,
      Status.Code.DATA_LOSS);

  private final String id;
  private final OtlpGrpcExporterConfig config;
  private final URI target;
  private final ExporterLifecycle<Clients> lifecycle;
  /** Copied: the configuration object is mutable, and the decorator reads this on every request. */
  private final Map<String, String> headers;
  private final RateLimitedLog partialWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  /** The three stubs share one connection pool (the client factory), which close releases. */
  private record Clients(ClientFactory factory, TraceServiceGrpc.TraceServiceBlockingStub traces,
      MetricsServiceGrpc.MetricsServiceBlockingStub metrics, LogsServiceGrpc.LogsServiceBlockingStub logs) {}

  OtlpGrpcExporter(String id, OtlpGrpcExporterConfig config) {
    this.id = id;
    this.config = config;
    this.target = config.target();
    this.headers = Map.copyOf(config.headers);
    this.lifecycle = new ExporterLifecycle<>(id, config.retryOnFailure, config.sendingQueue, this::open, this::send,
        c -> c.factory().close());
  }

  private Clients open(Host host) {
    ClientAuthenticator auth = authenticator(host, config.auth);
    ClientFactory factory = clientFactory(config.tls);
    GrpcClientBuilder b = GrpcClients.builder(target)
        .factory(factory)
        .responseTimeout(config.timeout)
        // Headers come from the authenticator per request: a rotated token is picked up at once.
        .decorator((delegate, ctx, req) -> {
          headers.forEach(ctx::setAdditionalRequestHeader);
          if (auth != null) {
            auth.headers(new ClientAuthenticator.ClientRequest("POST", ctx.uri(), Map.of(), new byte[0]))
                .forEach(ctx::setAdditionalRequestHeader);
          }
          return delegate.execute(ctx, req);
        });
    if (config.compression.equals("gzip")) {
      b.compressor(new Codec.Gzip());
    }
    Clients clients = new Clients(factory, b.build(TraceServiceGrpc.TraceServiceBlockingStub.class),
        b.build(MetricsServiceGrpc.MetricsServiceBlockingStub.class),
        b.build(LogsServiceGrpc.LogsServiceBlockingStub.class));
    log.info("Exporter {} sends OTLP/gRPC to {} ({}, compression {})", id, target,
        target.getScheme().equals("https") ? "TLS" : "plain text", config.compression);
    return clients;
  }

  private <T> void send(Clients c, Signal<T> signal, T batch) throws ConsumeException {
    try {
      if (signal == Signal.TRACES) {
        ExportTraceServiceResponse r = c.traces().export((ExportTraceServiceRequest) batch);
        partialSuccess(signal, r.getPartialSuccess().getRejectedSpans(), r.getPartialSuccess().getErrorMessage());
      } else if (signal == Signal.METRICS) {
        ExportMetricsServiceResponse r = c.metrics().export((ExportMetricsServiceRequest) batch);
        partialSuccess(signal, r.getPartialSuccess().getRejectedDataPoints(), r.getPartialSuccess().getErrorMessage());
      } else {
        ExportLogsServiceResponse r = c.logs().export((ExportLogsServiceRequest) batch);
        partialSuccess(signal, r.getPartialSuccess().getRejectedLogRecords(), r.getPartialSuccess().getErrorMessage());
      }
    } catch (StatusRuntimeException e) {
      throw toConsumeException(id, target, e.getStatus(), e.getTrailers(), e);
    }
  }

  /** The data was delivered; what the server rejected of it is its decision, so warn, do not fail. */
  private void partialSuccess(Signal<?> signal, long rejected, String message) {
    if (rejected > 0 || !message.isEmpty()) {
      partialWarnings.warn("Exporter {}: {} rejected {} {} of a batch: {}", id, target, rejected, signal.itemName(),
          message.isEmpty() ? "(no message)" : message);
    }
  }

  /** The one place that maps a gRPC status to retryable or permanent. */
  static ConsumeException toConsumeException(String id, URI target, Status status, @Nullable Metadata trailers,
      @Nullable Throwable cause) {
    String message = "exporter " + id + ": " + target + " answered gRPC " + status.getCode()
        + (status.getDescription() != null ? ": " + status.getDescription()
            : status.getCause() != null ? ": " + rootCause(status.getCause()) : "");
    if (!RETRYABLE.contains(status.getCode())) {
      return status.getCode() == Status.Code.INVALID_ARGUMENT
          ? ConsumeException.invalid(message) : ConsumeException.permanent(message, cause);
    }
    Duration delay = retryDelay(status, trailers);
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && delay != null) {
      return ConsumeException.overloaded(message, delay);
    }
    return ConsumeException.unavailable(message, delay, cause);
  }

  /** The innermost cause: for a refused connection, the "Connection refused" under Armeria's wrappers. */
  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** The delay of a google.rpc.RetryInfo in the status details, when the server sent one. */
  @Nullable
  private static Duration retryDelay(Status status, @Nullable Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    for (Any any : details.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * A client factory with the configured TLS; shared with {@code otlphttp}. Its event loops are
   * Armeria's common ones, so one per exporter costs only its connection pool.
   */
  static ClientFactory clientFactory(TlsClientSettings tls) {
    ClientFactoryBuilder b = ClientFactory.builder();
    if (tls.insecureSkipVerify) {
      b.tlsNoVerify();
    }
    if (!tls.caFile.isEmpty()) {
      File ca = existing("tls::ca_file", tls.caFile);
      b.tlsCustomizer(ssl -> ssl.trustManager(ca));
    }
    if (!tls.certFile.isEmpty() || !tls.keyFile.isEmpty()) {
      if (tls.certFile.isEmpty() || tls.keyFile.isEmpty()) {
        throw new IllegalArgumentException("tls: cert_file and key_file go together (expected: both or neither)");
      }
      b.tls(TlsKeyPair.of(existing("tls::key_file", tls.keyFile), existing("tls::cert_file", tls.certFile)));
    }
    return b.build();
  }

  private static File existing(String key, String path) {
    File f = new File(path);
    if (!f.canRead()) {
      throw new IllegalArgumentException(key + ": cannot read \"" + path + "\" (expected: a readable PEM file)");
    }
    return f;
  }

  /** The authenticator extension named in {@code auth}, or null when none is configured. */
  @Nullable
  static ClientAuthenticator authenticator(Host host, AuthSettings auth) {
    if (auth.authenticator.isBlank()) {
      return null;
    }
    ComponentId ext = ComponentId.parse(auth.authenticator);
    return host.extension(ext, ClientAuthenticator.class).orElseThrow(() -> new IllegalArgumentException(
        "auth::authenticator: extension \"" + ext + "\" is not configured or cannot authenticate clients "
            + "(expected: the id of a client authenticator such as bearertokenauth under extensions)"));
  }

  @Override
  public String toString() {
    return "OtlpGrpcExporter{" + id + " -> " + target + "}";
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }
}
