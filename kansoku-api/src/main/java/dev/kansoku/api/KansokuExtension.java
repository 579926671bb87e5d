package dev.kansoku.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.kansoku.api.aws.AwsSignatureCheck;
import dev.kansoku.api.aws.AwsTargetRouter;
import dev.kansoku.api.logs.LogsApi;
import dev.kansoku.api.metrics.MetricsApi;
import dev.kansoku.api.xray.XrayApi;
import dev.kansoku.console.Console;
import dev.kansoku.aws.xrayreceiver.LocalSampling;
import dev.kansoku.pipeline.Authenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.store.InMemoryStorage;
import dev.kansoku.store.embedded.EmbeddedStorage;
import dev.kansoku.store.opensearch.OpenSearchStorage;
import dev.kansoku.store.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the store and the HTTP endpoint. Started before exporters (extensions start first), so the
 * {@code kansoku} exporter finds a live store; stopped after them, so their last batches land.
 */
final class KansokuExtension implements Extension, StoreAccess, LocalSampling {
  private static final Logger log = LoggerFactory.getLogger(KansokuExtension.class);

  private final String id;
  private final KansokuExtensionConfig config;
  private final Object lock = new Object();
  @Nullable private Storage storage;
  @Nullable private Server server;
  @Nullable private AutoCloseable apis;
  @Nullable private XrayApi xray;

  KansokuExtension(String id, KansokuExtensionConfig config) {
    this.id = id;
    this.config = config;
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (storage != null) {
        return;
      }
      Storage s = openStorage();
      ServerBuilder sb = Server.builder()
          .port(Endpoints.bindAddress(config.endpoint), com.linecorp.armeria.common.SessionProtocol.HTTP)
          .meterRegistry(new SimpleMeterRegistry())
          .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(10))
          .blockingTaskExecutor(4);
      new QueryApi(s).bind(sb);
      XrayApi xrayApi = XrayApi.bind(sb, s);
      AwsTargetRouter router = new AwsTargetRouter();
      AutoCloseable logsApi;
      try {
        // Log group metadata lives next to the embedded store's files, so it is kept exactly as long.
        logsApi = LogsApi.register(router, s, config.storage.type.equals("embedded")
            ? Path.of(config.storage.path).resolve("log-groups.json") : null);
      } catch (UncheckedIOException e) {
        s.close();
        throw new IllegalStateException("storage: " + e.getCause().getMessage(), e);
      }
      MetricsApi.register(router, sb, s);
      router.bind(sb);
      Console.bind(sb);
      if (config.awsAuth != null) {
        sb.decorator(new AwsSignatureCheck(config.awsAuth.accessKeyId, config.awsAuth.secretAccessKey, XrayApi.PATHS,
            Clock.systemUTC()));
      }
      Authenticator auth = authenticator(host);
      if (auth != null) {
        sb.decorator((delegate, ctx, req) -> {
          String problem = auth.authenticate(name -> req.headers().get(name));
          return problem == null ? delegate.serve(ctx, req) : HttpResponse.of(ResponseHeaders.of(
              HttpStatus.UNAUTHORIZED), HttpData.ofUtf8("{\"error\":\"" + problem.replace("\"", "'") + "\"}"));
        });
      }
      Server srv = sb.build();
      try {
        srv.start().join();
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        s.close();
        throw new IllegalStateException("endpoint: cannot listen on " + config.endpoint + ": " + cause.getMessage(),
            cause);
      }
      storage = s;
      server = srv;
      apis = logsApi;
      xray = xrayApi;
      InetSocketAddress bound = srv.activePort().localAddress();
      log.info("kansoku {}: store \"{}\" ready; console on http://{}:{}/ (query API under /api)", id,
          config.storage.type, bound.getHostString(), bound.getPort());
    }
  }

  private Storage openStorage() {
    if (config.storage.type.equals("memory")) {
      return InMemoryStorage.builder().maxSpans(config.storage.maxSpans).maxLogRecords(config.storage.maxLogRecords)
          .maxMetricPoints(config.storage.maxMetricPoints).build();
    }
    if (config.storage.type.equals("opensearch")) {
      OpenSearchStorage os = config.openSearch();
      try {
        os.open();
      } catch (RuntimeException e) {
        os.close();
        throw new IllegalStateException("storage::opensearch: " + e.getMessage(), e);
      }
      return os;
    }
    EmbeddedStorage.Builder b = EmbeddedStorage.builder(Path.of(config.storage.path))
        .retention(config.storage.retention);
    long maxSize = config.maxSizeBytes();
    if (maxSize > 0) {
      b.maxSizeBytes(maxSize);
    }
    EmbeddedStorage embedded = b.build();
    embedded.open();
    return embedded;
  }

  @Nullable
  private Authenticator authenticator(Host host) {
    if (config.auth == null || config.auth.authenticator.isEmpty()) {
      return null;
    }
    ComponentId ext = ComponentId.parse(config.auth.authenticator);
    return host.extension(ext, Authenticator.class).orElseThrow(() -> new IllegalArgumentException(
        "auth::authenticator: \"" + ext + "\" is not an authenticator extension listed in service::extensions"));
  }

  @Override
  public Storage storage() {
    synchronized (lock) {
      if (storage == null) {
        throw new IllegalStateException("kansoku " + id + " is not started");
      }
      return storage;
    }
  }

  /** For the awsxray receiver's sampling port: the same answers as this endpoint's X-Ray API. */
  @Override
  public Answer answerSampling(String path, byte[] body) {
    XrayApi api;
    synchronized (lock) {
      api = xray;
    }
    if (api == null) {
      return new Answer(503, "ServiceUnavailableException",
          "{\"message\":\"kansoku is not started\"}".getBytes(StandardCharsets.UTF_8));
    }
    AggregatedHttpResponse r = api.answerSampling(path, body);
    return new Answer(r.status().code(), r.headers().get("x-amzn-errortype"), r.content().array());
  }

  /** The bound HTTP port, or -1 before start. */
  int port() {
    synchronized (lock) {
      return server == null ? -1 : server.activeLocalPort();
    }
  }

  @Override
  public void shutdown() {
    Server srv;
    Storage s;
    AutoCloseable a;
    synchronized (lock) {
      srv = server;
      s = storage;
      a = apis;
      server = null;
      storage = null;
      apis = null;
      xray = null;
    }
    if (srv != null) {
      srv.stop().join();
    }
    if (a != null) {
      try {
        a.close();
      } catch (Exception e) {
        log.warn("kansoku {}: closing the APIs failed", id, e);
      }
    }
    if (s != null) {
      s.close();
    }
  }
}
