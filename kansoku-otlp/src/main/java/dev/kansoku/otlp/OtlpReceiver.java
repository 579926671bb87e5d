package dev.kansoku.otlp;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.kansoku.pipeline.Authenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.pipeline.config.TlsServerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Armeria server per enabled protocol. Both stop gracefully: new connections are refused and
 * requests in flight finish into the still-running pipelines.
 */
final class OtlpReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(OtlpReceiver.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
  private final RateLimitedLog unexpected = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  private final String id;
  private final OtlpReceiverConfig config;
  private final Consumers consumers;
  private final Object lock = new Object();
  @Nullable private Server grpcServer;
  @Nullable private Server httpServer;

  OtlpReceiver(String id, OtlpReceiverConfig config, Consumers consumers) {
    this.id = id;
    this.config = config;
    this.consumers = consumers;
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      OtlpReceiverConfig.GrpcSettings grpc = config.protocols.grpc;
      if (grpc != null) {
        grpcServer = startServer("grpc", grpc.endpoint, grpc.tls, sb -> {
          int maxMessage = grpc.maxRecvMsgSizeMib << 20;
          GrpcServiceBuilder gb = GrpcService.builder()
              .maxRequestMessageLength(maxMessage)
              .exceptionHandler(OtlpGrpcServices.exceptionHandler())
              .useBlockingTaskExecutor(true);
          OtlpGrpcServices.create(id, consumers).forEach(gb::addService);
          Authenticator auth = authenticator(host, grpc.auth, "grpc");
          if (auth != null) {
            gb.intercept(new GrpcAuthInterceptor(auth));
          }
          // Armeria buffers a unary call's whole body before deframing it, so the gate bounds that buffer
          // to one message as the bytes arrive, answering RESOURCE_EXHAUSTED as gRPC clients expect (the
          // server's own limit would answer HTTP 413, which gRPC clients see as UNKNOWN). A compressed
          // message is limited again while it is inflated.
          GrpcRequestGate gate = new GrpcRequestGate(id, consumers, maxMessage);
          sb.maxRequestLength(0).service(gb.build(), gate::decorate);
        });
      }
      OtlpReceiverConfig.HttpSettings http = config.protocols.http;
      if (http != null) {
        httpServer = startServer("http", http.endpoint, http.tls, sb -> {
          bindHttp(sb, Signal.TRACES, http.tracesUrlPath, http.maxRequestBodySize);
          bindHttp(sb, Signal.METRICS, http.metricsUrlPath, http.maxRequestBodySize);
          bindHttp(sb, Signal.LOGS, http.logsUrlPath, http.maxRequestBodySize);
          Authenticator auth = authenticator(host, http.auth, "http");
          if (auth != null) {
            sb.decorator(HttpAuthDecorator.of(auth));
          }
          if (http.cors != null) {
            sb.decorator(cors(http.cors).newDecorator());
          }
        });
      }
    }
  }

  private <T> void bindHttp(ServerBuilder sb, Signal<T> signal, String path, long maxBody) {
    consumers.get(signal).ifPresent(next -> sb.route().path(path).methods(HttpMethod.POST, HttpMethod.OPTIONS)
        .maxRequestLength(maxBody).build(OtlpHttpService.create(id, signal, next, consumers.admission(signal),
            maxBody)));
  }

  private static CorsServiceBuilder cors(OtlpReceiverConfig.CorsSettings c) {
    CorsServiceBuilder b = c.allowedOrigins.contains("*") ? CorsService.builderForAnyOrigin()
        : CorsService.builder(c.allowedOrigins);
    b.allowRequestMethods(HttpMethod.POST).allowRequestHeaders("content-type", "content-encoding");
    if (!c.allowedHeaders.isEmpty()) {
      b.allowRequestHeaders(c.allowedHeaders);
    }
    if (c.maxAge > 0) {
      b.maxAge(c.maxAge);
    }
    return b;
  }

  @Nullable
  private Authenticator authenticator(Host host, @Nullable AuthSettings auth, String protocol) {
    if (auth == null || auth.authenticator.isEmpty()) {
      return null;
    }
    ComponentId ext = ComponentId.parse(auth.authenticator);
    return host.extension(ext, Authenticator.class).orElseThrow(() -> new IllegalArgumentException(
        "protocols::" + protocol + "::auth::authenticator: \"" + ext + "\" is not an authenticator extension"
            + " listed in service::extensions"));
  }

  private interface Configurer {
    void configure(ServerBuilder sb);
  }

  private Server startServer(String protocol, String endpoint, @Nullable TlsServerSettings tls,
      Configurer configurer) {
    InetSocketAddress address = Endpoints.bindAddress(endpoint);
    ServerBuilder sb = Server.builder()
        .gracefulShutdownTimeout(Duration.ZERO, DRAIN_TIMEOUT)
        // GOAWAY notice before connections close; requests in flight still finish (DRAIN_TIMEOUT).
        .connectionDrainDuration(Duration.ofMillis(200))
        // Each listener keeps its own meters: Armeria registers the shared executor's meters per server.
        .meterRegistry(new SimpleMeterRegistry())
        .port(address, tls == null ? SessionProtocol.HTTP : SessionProtocol.HTTPS);
    if (tls != null) {
      sb.tls(new File(tls.certFile), new File(tls.keyFile));
      if (!tls.clientCaFile.isEmpty()) {
        sb.tlsCustomizer(t -> t.trustManager(new File(tls.clientCaFile)).clientAuth(ClientAuth.REQUIRE));
      }
    }
    // What no handler of ours answered (Armeria then answers 500 / UNKNOWN) is said, rate-limited.
    sb.errorHandler((ctx, cause) -> {
      unexpected.warn("otlp receiver {} ({}): unexpected failure answering {}: {}", id, protocol, ctx.path(),
          cause.toString(), cause);
      return null;
    });
    configurer.configure(sb);
    Server server = sb.build();
    try {
      server.start().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("protocols::" + protocol + ": cannot listen on " + endpoint + ": "
          + cause.getMessage(), cause);
    }
    InetSocketAddress bound = server.activePort().localAddress();
    log.info("otlp receiver {}: {} listening on {}:{}{}", id, protocol, bound.getHostString(), bound.getPort(),
        tls == null ? "" : " (TLS)");
    return server;
  }

  /** The bound gRPC port, or -1 when gRPC is off or not started. */
  int grpcPort() {
    synchronized (lock) {
      return grpcServer == null ? -1 : grpcServer.activeLocalPort();
    }
  }

  /** The bound HTTP port, or -1 when HTTP is off or not started. */
  int httpPort() {
    synchronized (lock) {
      return httpServer == null ? -1 : httpServer.activeLocalPort();
    }
  }

  @Override
  public void shutdown() {
    Server g;
    Server h;
    synchronized (lock) {
      g = grpcServer;
      h = httpServer;
      grpcServer = null;
      httpServer = null;
    }
    CompletableFuture<?> gs = g == null ? CompletableFuture.completedFuture(null) : g.stop();
    CompletableFuture<?> hs = h == null ? CompletableFuture.completedFuture(null) : h.stop();
    CompletableFuture.allOf(gs, hs).join();
  }
}
