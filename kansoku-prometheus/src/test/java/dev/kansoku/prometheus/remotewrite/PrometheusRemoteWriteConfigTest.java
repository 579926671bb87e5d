package dev.kansoku.prometheus.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Binding {@code exporters::prometheusremotewrite} as ADOT and the collector's documentation write it. */
class PrometheusRemoteWriteConfigTest {
  private static PrometheusRemoteWriteConfig bind(String yaml) throws Exception {
    return PrometheusRemoteWriteExporterTest.bind(yaml, new PrometheusRemoteWriteExporterFactory().createDefaultConfig(),
        "exporters::prometheusremotewrite");
  }

  @Test
  void adotAmpConfig_andDefaults() throws Exception {
    PrometheusRemoteWriteConfig c = bind("""
        endpoint: https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write
        auth: { authenticator: sigv4auth }
        resource_to_telemetry_conversion: { enabled: true }
        """);
    assertThat(c.auth.authenticator).isEqualTo("sigv4auth");
    assertThat(c.resourceToTelemetryConversion.enabled).isTrue();
    assertThat(c.timeout).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.suffixes()).isTrue();
    assertThat(c.targetInfo.enabled).isTrue();
    assertThat(c.maxBatchSizeBytes).isEqualTo(3_000_000);
    assertThat(c.parallelism()).isEqualTo(5);
    assertThat(c.queue().numConsumers).isEqualTo(1);
    assertThat(c.queue().queueSize).isEqualTo(10_000);
    assertThat(c.retryOnFailure.initialInterval).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void allKeys() throws Exception {
    PrometheusRemoteWriteConfig c = bind("""
        endpoint: http://localhost:9090/api/v1/write
        headers: {X-Scope-OrgID: t1}
        timeout: 10s
        tls: {insecure_skip_verify: true}
        compression: snappy
        namespace: otel
        external_labels: {cluster: prod}
        resource_to_telemetry_conversion: {enabled: true, exclude_service_attributes: true}
        add_metric_suffixes: false
        send_metadata: true
        target_info: {enabled: false}
        disable_scope_info: true
        max_batch_size_bytes: 1000
        max_batch_request_parallelism: 2
        remote_write_queue: {enabled: true, queue_size: 5, num_consumers: 3}
        retry_on_failure: {enabled: true, max_elapsed_time: 10s}
        protobuf_message: prometheus.WriteRequest
        """);
    assertThat(c.suffixes()).isFalse();
    assertThat(c.parallelism()).isEqualTo(2);
    assertThat(c.queue().queueSize).isEqualTo(5);
    assertThat(c.retryOnFailure.maxElapsedTime).isEqualTo(Duration.ofSeconds(10));
    // Keys left out keep the exporter's own defaults, not those of other exporters.
    assertThat(c.retryOnFailure.initialInterval).isEqualTo(Duration.ofMillis(50));
    assertThat(bind("endpoint: http://h/w\ntranslation_strategy: UnderscoreEscapingWithoutSuffixes\n").suffixes())
        .isFalse();
    assertThat(bind("endpoint: http://h/w\nmax_batch_size_bytes: 0\n").maxBatchSizeBytes).isEqualTo(3_000_000);
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nsending_queue: {enabled: true}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key \"sending_queue\"");
    assertThatThrownBy(() -> bind("{}")).hasMessageContaining("endpoint: must be set");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\ncompression: gzip\n"))
        .hasMessageContaining("compression type must be snappy");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nwal: {directory: /tmp/wal}\n"))
        .hasMessageContaining("wal: the write-ahead log is not implemented");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nexport_created_metric: {enabled: true}\n"))
        .hasMessageContaining("removed from the collector in v0.123.0");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nprotobuf_message: io.prometheus.write.v2.Request\n"))
        .hasMessageContaining("remote write 2.0");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nmax_batch_request_parallelism: 0\n"))
        .hasMessageContaining("max_batch_request_parallelism can't be set to below 1");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nremote_write_queue: {queue_size: 0}\n"))
        .hasMessageContaining("a 0 size queue will drop all the data");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nmax_batch_size_bytes: -1\n"))
        .hasMessageContaining("max_batch_size_bytes must be greater than 0");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\nexternal_labels: {cluster: \"\"}\n"))
        .hasMessageContaining("external_labels: an empty key or value");
    assertThatThrownBy(() -> bind("endpoint: http://h/w\ntranslation_strategy: NoTranslation\n"))
        .hasMessageContaining("need remote write 2.0");
  }
}
