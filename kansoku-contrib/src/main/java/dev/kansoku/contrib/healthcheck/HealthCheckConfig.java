package dev.kansoku.contrib.healthcheck;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.pipeline.config.TlsServerSettings;
import java.time.Duration;

/** {@code health_check} extension: an HTTP endpoint that says whether the service is up. */
final class HealthCheckConfig implements Validatable {
  /** host:port to listen on; loopback unless you say otherwise (container health checks run inside). Example: 0.0.0.0:13133. */
  String endpoint = "localhost:13133";
  /** The path answered; one ending in / answers everything under it, as the collector's does. Example: /health/status. */
  String path = "/";
  /** Static bodies instead of the JSON status. Example: {healthy: OK, unhealthy: starting}. */
  ResponseBody responseBody;
  /** Serve HTTPS with this certificate and key. */
  TlsServerSettings tls;
  /** The collector's pipeline check; upstream advises against it, and Kansoku does not offer it (enabled must stay false). */
  CheckCollectorPipeline checkCollectorPipeline = new CheckCollectorPipeline();

  static final class ResponseBody {
    /** Body of the 200 answer. */
    String healthy = "";
    /** Body of the 503 answer. */
    String unhealthy = "";
  }

  static final class CheckCollectorPipeline {
    boolean enabled;
    /** Accepted for compatibility. Example: 5m. */
    Duration interval = Duration.ofMinutes(5);
    /** Accepted for compatibility. Example: 5. */
    int exporterFailureThreshold = 5;
  }

  @Override
  public void validate() {
    Endpoints.check("endpoint", endpoint);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: \"" + path + "\" must start with /");
    }
    if (checkCollectorPipeline.exporterFailureThreshold <= 0) {
      throw new IllegalArgumentException("check_collector_pipeline::exporter_failure_threshold: expected a positive number");
    }
    if (checkCollectorPipeline.enabled) {
      throw new IllegalArgumentException("check_collector_pipeline::enabled: not offered (the collector's own README"
          + " advises against it); the endpoint answers 200 once every pipeline has started");
    }
    if (tls != null) {
      tls.validate();
    }
  }
}
