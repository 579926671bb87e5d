package dev.kansoku.prometheus.remotewrite;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import dev.kansoku.pipeline.config.TlsClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * {@code prometheusremotewrite}: the collector's keys and defaults (exporter/prometheusremotewriteexporter
 * config.go and factory.go). Keys the collector has but this exporter does not implement are refused
 * by name rather than ignored.
 */
final class PrometheusRemoteWriteConfig implements Validatable {
  static final String V1_MESSAGE = "prometheus.WriteRequest";
  static final String V2_MESSAGE = "io.prometheus.write.v2.Request";

  /** Remote write URL. Example: https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write. */
  String endpoint = "";
  /** Extra request headers. Example: {@code X-Scope-OrgID: tenant-1}. */
  Map<String, String> headers = new LinkedHashMap<>();
  /** Limit of one HTTP attempt. The collector's default. Example: 10s. */
  Duration timeout = Duration.ofSeconds(5);
  /** TLS of https endpoints. Example: {@code ca_file: ca.pem}. */
  TlsClientSettings tls = new TlsClientSettings();
  /** Client authenticator extension. Example: {@code authenticator: sigv4auth}. */
  AuthSettings auth = new AuthSettings();
  /** Only snappy: the remote write protocol's one encoding. */
  String compression = "snappy";
  /** Prefix of every metric name. Example: otel. */
  String namespace = "";
  /** Labels added to every series unless the data has them. Example: {@code cluster: prod}. */
  Map<String, String> externalLabels = new LinkedHashMap<>();
  /** Resource attributes become labels of every series. Example: {@code enabled: true}. */
  ResourceToTelemetry resourceToTelemetryConversion = new ResourceToTelemetry();
  /** Unit and {@code _total} suffixes on metric names. Example: false. */
  boolean addMetricSuffixes = true;
  /** UnderscoreEscapingWithSuffixes or UnderscoreEscapingWithoutSuffixes; overrides add_metric_suffixes. */
  String translationStrategy = "";
  /** Also send each metric's type, help and unit (WriteRequest.metadata). Example: true. */
  boolean sendMetadata;
  /** A target_info series per resource with its non-identifying attributes. Example: {@code enabled: false}. */
  Enabled targetInfo = new Enabled(true);
  /** Leave out the otel_scope_name and otel_scope_version labels. Example: true. */
  boolean disableScopeInfo;
  /** Upper bound of one uncompressed WriteRequest; larger batches are split. Example: 3000000. */
  int maxBatchSizeBytes = 3_000_000;
  /** Requests of one split batch sent at once; defaults to remote_write_queue::num_consumers. Example: 5. */
  @Nullable Integer maxBatchRequestParallelism;
  /** Queue between the pipeline and the sender (one sender thread keeps samples in order). */
  RemoteWriteQueue remoteWriteQueue = new RemoteWriteQueue();
  /** Backoff for 5xx, 429 and connection errors; merged, so keys left out keep this exporter's defaults. */
  @JsonMerge
  RetrySettings retryOnFailure = defaultRetry();
  /** prometheus.WriteRequest (remote write 1.0); 2.0 needs a collector feature gate and is not implemented. */
  String protobufMessage = V1_MESSAGE;
  /** Write-ahead log: not implemented; refused when set. */
  @Nullable JsonNode wal;
  /** Removed from the collector in v0.123.0; refused with that explanation. */
  @Nullable JsonNode exportCreatedMetric;

  static final class ResourceToTelemetry {
    boolean enabled;
    /** Leave out service.name, service.namespace and service.instance.id (already job and instance). */
    boolean excludeServiceAttributes;
  }

  static final class Enabled {
    boolean enabled;

    Enabled() {}

    Enabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  static final class RemoteWriteQueue {
    boolean enabled = true;
    /** OTLP batches waiting to be sent. Example: 10000. */
    int queueSize = 10_000;
    /** Default of max_batch_request_parallelism. Example: 5. */
    int numConsumers = 5;
  }

  private static RetrySettings defaultRetry() {
    RetrySettings r = new RetrySettings();
    r.initialInterval = Duration.ofMillis(50);
    r.maxInterval = Duration.ofMillis(200);
    r.maxElapsedTime = Duration.ofMinutes(1);
    return r;
  }

  @Override
  public void validate() {
    uri();
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
    }
    if (!compression.isEmpty() && !compression.equals("snappy")) {
      throw new IllegalArgumentException("compression: \"" + compression + "\": compression type must be snappy");
    }
    if (maxBatchRequestParallelism != null && maxBatchRequestParallelism < 1) {
      throw new IllegalArgumentException("max_batch_request_parallelism can't be set to below 1");
    }
    if (remoteWriteQueue.queueSize < 0) {
      throw new IllegalArgumentException("remote_write_queue::queue_size: remote write queue size can't be negative");
    }
    if (remoteWriteQueue.enabled && remoteWriteQueue.queueSize == 0) {
      throw new IllegalArgumentException("remote_write_queue::queue_size: a 0 size queue will drop all the data");
    }
    if (remoteWriteQueue.numConsumers < 0) {
      throw new IllegalArgumentException(
          "remote_write_queue::num_consumers: remote write consumer number can't be negative");
    }
    if (maxBatchSizeBytes < 0) {
      throw new IllegalArgumentException("max_batch_size_bytes must be greater than 0");
    }
    if (maxBatchSizeBytes == 0) {
      maxBatchSizeBytes = 3_000_000; // the collector's default for 0
    }
    if (protobufMessage.equals(V2_MESSAGE)) {
      throw new IllegalArgumentException("protobuf_message: remote write 2.0 (" + V2_MESSAGE + ") is not supported"
          + " (expected: " + V1_MESSAGE + ")");
    }
    if (!protobufMessage.equals(V1_MESSAGE)) {
      throw new IllegalArgumentException("protobuf_message: \"" + protobufMessage + "\" (expected: " + V1_MESSAGE + ")");
    }
    if (!translationStrategy.isEmpty() && !translationStrategy.equals("UnderscoreEscapingWithSuffixes")
        && !translationStrategy.equals("UnderscoreEscapingWithoutSuffixes")) {
      throw new IllegalArgumentException("translation_strategy: \"" + translationStrategy + "\" (expected:"
          + " UnderscoreEscapingWithSuffixes or UnderscoreEscapingWithoutSuffixes; the NoUTF8 strategies need remote"
          + " write 2.0)");
    }
    for (Map.Entry<String, String> e : externalLabels.entrySet()) {
      if (e.getKey().isEmpty() || e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("external_labels: an empty key or value (\"" + e.getKey() + "\")");
      }
    }
    if (wal != null && !wal.isNull()) {
      throw new IllegalArgumentException("wal: the write-ahead log is not implemented by this exporter"
          + " (expected: no wal; remote_write_queue and retry_on_failure buffer in memory)");
    }
    if (exportCreatedMetric != null && !exportCreatedMetric.isNull()) {
      throw new IllegalArgumentException("export_created_metric: removed from the collector in v0.123.0"
          + " (expected: no export_created_metric)");
    }
    retryOnFailure.validate();
  }

  boolean suffixes() {
    return translationStrategy.isEmpty() ? addMetricSuffixes : translationStrategy.equals("UnderscoreEscapingWithSuffixes");
  }

  int parallelism() {
    return maxBatchRequestParallelism != null ? maxBatchRequestParallelism : Math.max(1, remoteWriteQueue.numConsumers);
  }

  /** remote_write_queue as the pipeline's queue: one sender thread, as the collector, so samples stay in order. */
  QueueSettings queue() {
    QueueSettings q = new QueueSettings();
    q.enabled = remoteWriteQueue.enabled;
    q.queueSize = Math.max(1, remoteWriteQueue.queueSize);
    q.numConsumers = 1;
    return q;
  }

  URI uri() {
    if (endpoint.isBlank()) {
      throw new IllegalArgumentException("endpoint: must be set (expected: a URL such as"
          + " http://localhost:9090/api/v1/write)");
    }
    URI uri;
    try {
      uri = URI.create(endpoint.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" (expected: an http:// or https:// URL with a host)");
    }
    return uri;
  }
}
