package dev.kansoku.deploy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ecs.HealthCheck;

/**
 * The collector container's ECS health check: only when its YAML runs a {@code health_check}
 * extension (the seed's YAML does not, and a check nothing answers would have ECS replace healthy
 * tasks). ADOT's image probes with its {@code /healthcheck} binary; Kansoku's (distroless, no curl)
 * with {@code kansoku healthcheck} against the extension's endpoint and path.
 */
final class CollectorHealthCheck {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private CollectorHealthCheck() {}

  static Optional<HealthCheck> of(DeploySettings.Collector collector, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("collector configuration: not YAML: " + e.getMessage(), e);
    }
    Optional<String> health = StreamSupport.stream(root.path("service").path("extensions").spliterator(), false)
        .map(JsonNode::asText).filter(id -> id.equals("health_check") || id.startsWith("health_check/")).findFirst();
    if (health.isEmpty()) {
      return Optional.empty();
    }
    List<String> command = switch (collector) {
      case ADOT -> List.of("CMD", "/healthcheck");
      case KANSOKU -> List.of("CMD", "/usr/bin/java", "-jar", "/opt/kansoku/kansoku.jar", "healthcheck", "--url",
          url(root.path("extensions").path(health.get())));
    };
    return Optional.of(HealthCheck.builder()
        .command(command)
        .interval(Duration.seconds(30))
        .timeout(Duration.seconds(10))
        .retries(3)
        .startPeriod(Duration.seconds(60))
        .build());
  }

  /** Where the extension listens, seen from inside the container (loopback reaches 0.0.0.0 too). */
  private static String url(JsonNode settings) {
    String endpoint = settings.path("endpoint").asText("localhost:13133");
    String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
    return "http://localhost:" + port + settings.path("path").asText("/");
  }
}
