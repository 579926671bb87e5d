package dev.kansoku.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.api.aws.AwsTargetRouter;
import dev.kansoku.pipeline.Authenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import dev.kansoku.store.InMemoryStorage;
import dev.kansoku.store.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the store and the HTTP endpoint. Started before exporters (extensions start first), so the
 * {@code kansoku} exporter finds a live store; stopped after them, so their last batches land.
 */
final class KansokuExtension implements Extension, StoreAccess {
  private static final Logger log = LoggerFactory.getLogger(KansokuExtension.class);

  private final String id;
  private final KansokuExtensionConfig config;
  private final Object lock = new Object();
  @Nullable private Storage storage;
  @Nullable private Server server;

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
      Storage s = InMemoryStorage.builder().maxSpans(config.storage.maxSpans)
          .maxLogRecords(config.storage.maxLogRecords).maxMetricPoints(config.storage.maxMetricPoints).build();
      int colon = config.endpoint.lastIndexOf(':');
      String hostName = config.endpoint.substring(0, colon);
      int port = Integer.parseInt(config.endpoint.substring(colon + 1));
      ServerBuilder sb = Server.builder()
          .port(hostName.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(hostName, port),
              com.linecorp.armeria.common.SessionProtocol.HTTP)
          .meterRegistry(new SimpleMeterRegistry())
          .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(10))
          .blockingTaskExecutor(4);
      new QueryApi(s).bind(sb);
      dev.kansoku.api.metrics.MetricsApi.register(new AwsTargetRouter(), sb, s).bind(sb);
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
      InetSocketAddress bound = srv.activePort().localAddress();
      log.info("kansoku {}: store \"{}\" ready; query API on http://{}:{}/api", id, config.storage.type,
          bound.getHostString(), bound.getPort());
    }
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
    synchronized (lock) {
      srv = server;
      s = storage;
      server = null;
      storage = null;
    }
    if (srv != null) {
      srv.stop().join();
    }
    if (s != null) {
      s.close();
    }
  }
}
