package dev.kansoku.contrib.resourcedetection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker}: host.name and os.type of the Docker host from the daemon's {@code GET /info}
 * ({@code Name}, {@code OSType}); with container.name or container.image.name turned on, this
 * container's {@code GET /containers/<hostname>/json} ({@code Name}, {@code Image}). A daemon that
 * cannot be reached means "not under Docker": nothing is added (or, with fail_on_missing_metadata,
 * detection fails).
 */
final class DockerDetector implements Detector {
  private static final Logger log = LoggerFactory.getLogger(DockerDetector.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.40.0";

  private final DockerApi api;
  private final HostInfo host;
  private final Predicate<String> enabled;
  private final boolean failOnMissing;

  DockerDetector(Function<String, String> env, HostInfo host, DetectorSettings.Docker settings, boolean failOnMissing) {
    this.api = new DockerApi(env);
    this.host = host;
    this.enabled = settings.enabled();
    this.failOnMissing = failOnMissing;
  }

  @Override
  public Detected detect(Instant deadline) throws DetectionException {
    JsonNode info;
    try {
      info = json(api.get("/info", deadline));
    } catch (IOException e) {
      log.debug("resourcedetection docker: docker metadata unavailable at {}: {}", api.host(), e.getMessage());
      if (failOnMissing) {
        throw new DetectionException("docker metadata unavailable", e);
      }
      return Detected.NONE;
    }
    String osType = info.path("OSType").asText("");
    Attributes a = new Attributes(enabled).str("host.name", info.path("Name").asText(""))
        .str("os.type", osType.equals("dragonfly") ? "dragonflybsd" : osType);
    if (enabled.test("container.name") || enabled.test("container.image.name")) {
      try {
        String self = URLEncoder.encode(host.hostname(), StandardCharsets.UTF_8);
        JsonNode container = json(api.get("/containers/" + self + "/json", deadline));
        a.str("container.name", container.path("Name").asText("")).str("container.image.name",
            container.path("Image").asText(""));
      } catch (IOException e) {
        // As upstream since #46275: a container that cannot be found by host name keeps the host attributes.
        log.debug("resourcedetection docker: failed getting container info; skipping container.* attributes: {}",
            e.getMessage());
      }
    }
    return a.detected(SCHEMA_URL);
  }

  private static JsonNode json(DockerApi.Response r) throws IOException {
    if (r.status() != 200) {
      throw new IOException("status " + r.status() + ": " + r.body().strip());
    }
    JsonNode node = JSON.readTree(r.body());
    if (node == null || !node.isObject()) {
      throw new IOException("not a JSON object");
    }
    return node;
  }
}
