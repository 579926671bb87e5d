package dev.kansoku.contrib.healthcheck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.contrib.Listeners;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.PipelineWatcher;
import dev.kansoku.pipeline.config.Endpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 200 {@code {"status":"Server available","upSince":…,"uptime":…}} once every pipeline has
 * started, and 503 {@code {"status":"Server not available",…}} before that and from the moment
 * shutdown begins, in the collector's own shape, so probes written for it work unchanged.
 */
final class HealthCheckExtension implements Extension, PipelineWatcher {
  private static final Logger log = LoggerFactory.getLogger(HealthCheckExtension.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Go's zero time, which the collector reports as upSince while not ready. */
  private static final String NEVER = "0001-01-01T00:00:00Z";

  private final String id;
  private final HealthCheckConfig config;
  private final Clock clock;
  /** When the service became ready; null while it is not. */
  @Nullable private volatile Instant upSince;
  @Nullable private Server server;

  HealthCheckExtension(String id, HealthCheckConfig config, Clock clock) {
    this.id = id;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public synchronized void start(Host host) {
    if (server != null) {
      return;
    }
    InetSocketAddress address = Endpoints.bindAddress(config.endpoint);
    ServerBuilder sb = Server.builder()
        .meterRegistry(new SimpleMeterRegistry())
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(1))
        .port(address, config.tls == null ? SessionProtocol.HTTP : SessionProtocol.HTTPS);
    if (config.tls != null) {
      sb.tls(new File(config.tls.certFile), new File(config.tls.keyFile));
    }
    Route route = config.path.endsWith("/") ? Route.builder().pathPrefix(config.path).build()
        : Route.builder().exact(config.path).build();
    sb.route().addRoute(route).build((ctx, req) -> answer());
    Server s = sb.build();
    Listeners.start(s, config.endpoint);
    server = s;
    InetSocketAddress bound = s.activePort().localAddress();
    log.info("health_check {}: http{}://{}:{}{}", id, config.tls == null ? "" : "s", bound.getHostString(),
        bound.getPort(), config.path);
  }

  private HttpResponse answer() {
    Instant since = upSince;
    HttpStatus status = since == null ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
    if (config.responseBody != null) {
      return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8,
          since == null ? config.responseBody.unhealthy : config.responseBody.healthy);
    }
    ObjectNode body = JSON.createObjectNode();
    if (since == null) {
      body.put("status", "Server not available").put("upSince", NEVER).put("uptime", "");
    } else {
      Instant now = clock.instant();
      body.put("status", "Server available").put("upSince", GoTime.rfc3339Nano(since, clock.getZone()))
          .put("uptime", GoTime.duration(Duration.between(since, now)));
    }
    return HttpResponse.of(status, MediaType.JSON, body.toString());
  }

  @Override
  public void ready() {
    if (upSince == null) {
      upSince = clock.instant();
      log.info("health_check {}: ready", id);
    }
  }

  @Override
  public void notReady() {
    upSince = null;
  }

  /** The bound port, or -1 before start. */
  synchronized int port() {
    return server == null ? -1 : server.activeLocalPort();
  }

  @Override
  public synchronized void shutdown() {
    upSince = null;
    if (server != null) {
      server.stop().join();
      server = null;
    }
  }
}
