package dev.kansoku.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.console.Console;
import dev.kansoku.pipeline.Authenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.store.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the store and the HTTP endpoint. Started before exporters and receivers (extensions start
 * first), so the {@code kansoku} exporter finds a live store and receivers find the endpoint APIs;
 * stopped after them, so their last batches land.
 */
final class KansokuExtension implements Extension, StoreAccess {
  private static final Logger log = LoggerFactory.getLogger(KansokuExtension.class);

  private final String id;
  private final KansokuExtensionConfig config;
  private final List<EndpointApi> apis;
  private final Object lock = new Object();
  @Nullable private Storage storage;
  @Nullable private Server server;
  private List<EndpointApi.Served> served = List.of();

  KansokuExtension(String id, KansokuExtensionConfig config, List<EndpointApi> apis) {
    this.id = id;
    this.config = config;
    this.apis = apis;
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (storage != null) {
        return;
      }
      Authenticator auth = authenticator(host);
      Storage s;
      try {
        s = config.storage().open();
      } catch (RuntimeException e) {
        throw new IllegalStateException("storage: " + e.getMessage(), e);
      }
      ServerBuilder sb = Server.builder()
          .port(Endpoints.bindAddress(config.endpoint), SessionProtocol.HTTP)
          .meterRegistry(new SimpleMeterRegistry())
          .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(10))
          .blockingTaskExecutor(4);
      new QueryApi(s).bind(sb);
      EndpointApi.Settings settings = new EndpointApi.Settings(id, config.awsAuth == null ? null
          : new EndpointApi.AwsKey(config.awsAuth.accessKeyId, config.awsAuth.secretAccessKey));
      List<EndpointApi.Served> bound = new ArrayList<>();
      Server srv;
      try {
        for (EndpointApi api : apis) {
          bound.add(api.bind(sb, s, settings));
        }
        Console.bind(sb);
        if (auth != null) {
          sb.decorator((delegate, ctx, req) -> {
            String problem = auth.authenticate(name -> req.headers().get(name));
            return problem == null ? delegate.serve(ctx, req) : HttpResponse.of(ResponseHeaders.of(
                HttpStatus.UNAUTHORIZED), HttpData.ofUtf8("{\"error\":\"" + problem.replace("\"", "'") + "\"}"));
          });
        }
        sb.decorator(BrowserGuard.of(Endpoints.bindAddress(config.endpoint), config.allowedHosts));
        srv = sb.build();
        srv.start().join();
      } catch (RuntimeException e) {
        bound.forEach(EndpointApi.Served::close);
        s.close();
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IllegalStateException("endpoint: cannot listen on " + config.endpoint + ": " + cause.getMessage(),
            cause);
      }
      storage = s;
      server = srv;
      served = List.copyOf(bound);
      InetSocketAddress address = srv.activePort().localAddress();
      log.info("kansoku {}: store \"{}\" ready; console on http://{}:{}/ (query API under /api)", id,
          config.storageType(), address.getHostString(), address.getPort());
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

  /** This extension, or one of its started endpoint APIs, as a {@code type}. */
  @Override
  public <T> Optional<T> offered(Class<T> type) {
    if (type.isInstance(this)) {
      return Optional.of(type.cast(this));
    }
    synchronized (lock) {
      return served.stream().filter(type::isInstance).map(type::cast).findFirst();
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
    List<EndpointApi.Served> apisToClose;
    synchronized (lock) {
      srv = server;
      s = storage;
      apisToClose = served;
      server = null;
      storage = null;
      served = List.of();
    }
    if (srv != null) {
      srv.stop().join();
    }
    for (EndpointApi.Served a : apisToClose) {
      try {
        a.close();
      } catch (RuntimeException e) {
        log.warn("kansoku {}: closing an endpoint API failed", id, e);
      }
    }
    if (s != null) {
      s.close();
    }
  }
}
