package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding {@code exporters::otlp} and {@code exporters::otlphttp} from YAML, as the seed writes them. */
class OtlpGrpcExporterConfigTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode yaml(String text) throws Exception {
    return YAML.readTree(text);
  }

  static OtlpGrpcExporterConfig grpc(String text) throws Exception {
    return ConfigBinder.bind(yaml(text), new OtlpGrpcExporterFactory().createDefaultConfig(), "exporters::otlp");
  }

  static OtlpHttpExporterConfig http(String text) throws Exception {
    return ConfigBinder.bind(yaml(text), new OtlpHttpExporterFactory().createDefaultConfig(), "exporters::otlphttp");
  }

  @Test
  void grpc_allKeys() throws Exception {
    OtlpGrpcExporterConfig c = grpc("""
        endpoint: collector.internal:4317
        tls:
          insecure: true
        headers:
          x-tenant: acme
        compression: none
        timeout: 10s
        retry_on_failure:
          enabled: true
          initial_interval: 1s
          randomization_factor: 0.2
          multiplier: 2
          max_interval: 10s
          max_elapsed_time: 1m
        sending_queue:
          enabled: true
          num_consumers: 4
          queue_size: 500
        auth:
          authenticator: bearertokenauth
        """);

    assertThat(c.target()).isEqualTo(URI.create("http://collector.internal:4317"));
    assertThat(c.headers).isEqualTo(Map.of("x-tenant", "acme"));
    assertThat(c.compression).isEqualTo("none");
    assertThat(c.timeout).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryOnFailure.maxElapsedTime).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.retryOnFailure.multiplier).isEqualTo(2);
    assertThat(c.sendingQueue.numConsumers).isEqualTo(4);
    assertThat(c.sendingQueue.queueSize).isEqualTo(500);
    assertThat(c.auth.authenticator).isEqualTo("bearertokenauth");
  }

  @Test
  void grpc_defaults() throws Exception {
    OtlpGrpcExporterConfig c = grpc("endpoint: collector:4317");

    assertThat(c.target()).as("bare host:port uses TLS").isEqualTo(URI.create("https://collector:4317"));
    assertThat(c.compression).isEqualTo("gzip");
    assertThat(c.timeout).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.sendingQueue.enabled).isTrue();
    assertThat(c.retryOnFailure.enabled).isTrue();
  }

  @Test
  void grpc_endpointForms() throws Exception {
    assertThat(grpc("endpoint: http://localhost:4317").target()).isEqualTo(URI.create("http://localhost:4317"));
    assertThat(grpc("endpoint: https://x.example").target()).isEqualTo(URI.create("https://x.example:443"));
    assertThat(grpc("endpoint: '[::1]:4317'").target()).isEqualTo(URI.create("https://[::1]:4317"));
  }

  @Test
  void grpc_unknownKey_suggestsNearest() {
    assertThatThrownBy(() -> grpc("endpont: localhost:4317")).isInstanceOf(ConfigException.class)
        .hasMessage("exporters::otlp: unknown key \"endpont\", did you mean \"endpoint\"?");
  }

  @Test
  void grpc_errors() {
    check("{}", "exporters::otlp: endpoint: must be set (expected: host:port or http(s)://host:port)");
    check("endpoint: localhost", "exporters::otlp: endpoint: \"localhost\" has no port (expected: host:port, e.g. "
        + "localhost:4317)");
    check("endpoint: dns:///localhost:4317", "exporters::otlp: endpoint: \"dns:///localhost:4317\" has an unsupported "
        + "scheme (expected: host:port or http(s)://host:port)");
    check("endpoint: http://localhost:4317/v1", "exporters::otlp: endpoint: \"http://localhost:4317/v1\" (expected: "
        + "host:port or http(s)://host:port, without a path)");
    check("{endpoint: 'h:1', compression: zstd}", "exporters::otlp: compression: \"zstd\" (expected: gzip or none)");
    check("{endpoint: 'h:1', timeout: 0s}", "exporters::otlp: timeout: PT0S (expected: > 0)");
    check("{endpoint: 'h:1', sending_queue: {queue_size: 0}}",
        "exporters::otlp: sending_queue::queue_size: 0 (expected: > 0)");
    check("{endpoint: 'h:1', retry_on_failure: {multiplier: 0.5}}",
        "exporters::otlp: retry_on_failure::multiplier: 0.5 (expected: >= 1)");
  }

  private static void check(String yaml, String message) {
    assertThatThrownBy(() -> grpc(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void http_allKeys() throws Exception {
    OtlpHttpExporterConfig c = http("""
        endpoint: https://collector.internal:4318/
        traces_endpoint: https://traces.example/otlp/v1/traces
        tls:
          insecure_skip_verify: true
        headers:
          x-tenant: acme
        compression: gzip
        timeout: 10s
        encoding: json
        retry_on_failure:
          max_elapsed_time: 1m
        sending_queue:
          queue_size: 500
        auth:
          authenticator: bearertokenauth
        """);

    assertThat(c.url(dev.kansoku.pipeline.Signal.TRACES)).isEqualTo(URI.create("https://traces.example/otlp/v1/traces"));
    assertThat(c.url(dev.kansoku.pipeline.Signal.METRICS))
        .isEqualTo(URI.create("https://collector.internal:4318/v1/metrics"));
    assertThat(c.url(dev.kansoku.pipeline.Signal.LOGS)).isEqualTo(URI.create("https://collector.internal:4318/v1/logs"));
    assertThat(c.encoding).isEqualTo("json");
    assertThat(c.timeout).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.tls.insecureSkipVerify).isTrue();
  }

  @Test
  void http_unknownKey_suggestsNearest() {
    assertThatThrownBy(() -> http("endpont: http://localhost:4318")).isInstanceOf(ConfigException.class)
        .hasMessage("exporters::otlphttp: unknown key \"endpont\", did you mean \"endpoint\"?");
  }

  @Test
  void http_errors() {
    assertThatThrownBy(() -> http("{}")).hasMessage("exporters::otlphttp: endpoint: must be set, or traces_endpoint, "
        + "metrics_endpoint and logs_endpoint for the signals used (expected: a URL such as http://localhost:4318)");
    assertThatThrownBy(() -> http("endpoint: localhost:4318")).hasMessage("exporters::otlphttp: endpoint: "
        + "\"localhost:4318\" (expected: an http:// or https:// URL with a host)");
    assertThatThrownBy(() -> http("{endpoint: 'http://h:1', encoding: protobuf}"))
        .hasMessage("exporters::otlphttp: encoding: \"protobuf\" (expected: proto or json)");
  }
}
