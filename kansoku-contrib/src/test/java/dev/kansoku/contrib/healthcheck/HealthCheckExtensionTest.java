package dev.kansoku.contrib.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthCheckExtensionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void answers_available_once_the_service_has_started_and_not_available_once_it_stops() throws Exception {
    int port = freePort();
    ComponentRegistry registry = new TestComponents().registry(new HealthCheckExtensionFactory());
    String yaml = """
        extensions: {health_check: {endpoint: "127.0.0.1:%d"}}
        receivers: {push: }
        exporters: {capture: }
        service: {extensions: [health_check], pipelines: {traces: {receivers: [push], exporters: [capture]}}}
        """.formatted(port);
    Service service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml),
        n -> null)), registry);
    service.start();
    try {
      HttpResponse<String> r = get(port, "/");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("status").asText()).isEqualTo("Server available");
      assertThat(Instant.parse(body.path("upSince").asText())).isBeforeOrEqualTo(Instant.now());
      assertThat(body.path("uptime").asText()).matches("[0-9.]+(ns|µs|ms|s)");
      assertThat(r.body()).startsWith("{\"status\":");
      // "/" answers every path below it, as the collector's does
      assertThat(get(port, "/anything/else").statusCode()).isEqualTo(200);
    } finally {
      service.shutdown();
    }
  }

  @Test
  void a_set_path_is_the_only_one_answered_and_bodies_can_be_static() throws Exception {
    int port = freePort();
    Instant t0 = Instant.parse("2026-12-07T01:00:00Z");
    HealthCheckExtension ext = extension(Map.of("endpoint", "127.0.0.1:" + port, "path", "/health/status"),
        Clock.fixed(t0, ZoneOffset.UTC));
    ext.start(NO_HOST);
    try {
      HttpResponse<String> before = get(port, "/health/status");
      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(before.body()).isEqualTo("{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}");
      ext.ready();
      assertThat(get(port, "/health/status").body())
          .isEqualTo("{\"status\":\"Server available\",\"upSince\":\"2026-12-07T01:00:00Z\",\"uptime\":\"0s\"}");
      assertThat(get(port, "/").statusCode()).isEqualTo(404);
      ext.notReady();
      assertThat(get(port, "/health/status").statusCode()).isEqualTo(503);
    } finally {
      ext.shutdown();
    }

    HealthCheckExtension fixed = extension(Map.of("endpoint", "127.0.0.1:" + port,
        "response_body", Map.of("healthy", "I'm OK", "unhealthy", "I'm not well")), Clock.systemUTC());
    fixed.start(NO_HOST);
    try {
      assertThat(get(port, "/").body()).isEqualTo("I'm not well");
      fixed.ready();
      HttpResponse<String> ok = get(port, "/");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("I'm OK");
    } finally {
      fixed.shutdown();
    }
  }

  @Test
  void settings_are_checked_with_their_path() {
    assertThatThrownBy(() -> extension(Map.of("path", "health"), Clock.systemUTC()))
        .hasMessageContaining("path: \"health\" must start with /");
    assertThatThrownBy(() -> extension(Map.of("check_collector_pipeline", Map.of("enabled", true)), Clock.systemUTC()))
        .hasMessageContaining("check_collector_pipeline::enabled: not offered");
    assertThatThrownBy(() -> extension(Map.of("endpont", "0.0.0.0:13133"), Clock.systemUTC()))
        .hasMessageContaining("unknown key \"endpont\"").hasMessageContaining("endpoint");
    assertThatThrownBy(() -> extension(Map.of("endpoint", "13133"), Clock.systemUTC()))
        .hasMessageContaining("endpoint:");
  }

  private static final Host NO_HOST = new Host() {
    @Override
    public <E> Optional<E> extension(ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };

  private static HealthCheckExtension extension(Map<String, Object> settings, Clock clock) throws Exception {
    HealthCheckConfig c = ConfigBinder.bind(JSON.valueToTree(settings), new HealthCheckConfig(), "extensions::health_check");
    return new HealthCheckExtension("health_check", c, clock);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
