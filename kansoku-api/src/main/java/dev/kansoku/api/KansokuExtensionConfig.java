package dev.kansoku.api;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.store.opensearch.OpenSearchStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kansoku} extension: owns the store and serves the query API and the AWS-compatible APIs
 * (and, later, the console) on one HTTP endpoint.
 */
final class KansokuExtensionConfig implements Validatable {
  /** host:port of the HTTP endpoint; loopback unless you say otherwise. Example: 0.0.0.0:4600. */
  String endpoint = "localhost:4600";
  /** Require an authenticator extension's approval for every request. Example: {authenticator: bearertokenauth}. */
  AuthSettings auth;
  /**
   * Require AWS SigV4 signatures made with this key pair on the AWS-compatible endpoints (X-Ray,
   * CloudWatch Logs, CloudWatch); absent, any credentials are accepted. Example:
   * {access_key_id: AKIAKANSOKU, secret_access_key: ${env:KANSOKU_AWS_SECRET}}.
   */
  AwsAuth awsAuth;
  Storage storage = new Storage();

  static final class AwsAuth {
    /** The only access key id accepted. Example: AKIAKANSOKU. */
    String accessKeyId = "";
    /** Its secret; better from the environment than in the file. Example: ${env:KANSOKU_AWS_SECRET}. */
    String secretAccessKey = "";
  }

  static final class Storage {
    /**
     * The engine: embedded (on local disk, durable, no setup), memory (bounded, lost on restart) or
     * opensearch (an OpenSearch cluster or Amazon OpenSearch Service, settings under opensearch).
     */
    String type = "embedded";
    /** embedded: the data directory, created when missing. Example: /var/lib/kansoku. */
    String path = "./data";
    /** embedded, opensearch: data older than this is deleted. Example: 72h. */
    Duration retention = Duration.ofDays(7);
    /** embedded: the oldest data is deleted while the directory is larger than this. Example: 20GiB. */
    String maxSize = "";
    /** memory: the most spans kept; the oldest traces are evicted whole. Example: 1000000. */
    int maxSpans = 1_000_000;
    /** memory: the most log records kept. Example: 1000000. */
    int maxLogRecords = 1_000_000;
    /** memory: the most metric data points kept. Example: 1000000. */
    int maxMetricPoints = 1_000_000;
    /** opensearch: the cluster and how to write to it. */
    OpenSearch opensearch = new OpenSearch();
  }

  static final class OpenSearch {
    /** Nodes to send requests to, round-robin; one scheme for all. Example: [https://search-x.us-west-2.es.amazonaws.com]. */
    List<String> endpoints = new ArrayList<>();
    /** Indices are <prefix>-spans-YYYY.MM.DD, <prefix>-logs-…, <prefix>-metrics-…. Example: kansoku. */
    String indexPrefix = "kansoku";
    /** Basic auth user (the security plugin's internal users). Example: kansoku. */
    String username = "";
    /** Its password; better from the environment. Example: ${env:OPENSEARCH_PASSWORD}. */
    String password = "";
    /** Sign requests with AWS SigV4 (Amazon OpenSearch Service); credentials from the SDK's default chain. */
    AwsSigV4 awsSigv4;
    Tls tls = new Tls();
    Bulk bulk = new Bulk();
    /** wait_for: a write returns once its data is searchable (read-your-writes); false: up to refresh_interval later. */
    String refresh = "wait_for";
    /** How often OpenSearch makes new documents searchable. Example: 1s. */
    Duration refreshInterval = Duration.ofSeconds(1);
    /** Primary shards per daily index. Example: 1. */
    int shards = 1;
    /** Replicas per shard; 0 on a single node. Example: 1. */
    int replicas = 1;
    /** Compression of stored documents: best_compression (half the disk) or default (LZ4, faster indexing). */
    String codec = "best_compression";
  }

  static final class AwsSigV4 {
    /** Example: us-west-2. */
    String region = "";
    /** es (managed domains) or aoss (Serverless). */
    String service = "es";
  }

  static final class Tls {
    /** Accept any server certificate (testing only). */
    boolean insecureSkipVerify;
    /** PEM CA that signs the cluster's certificate, instead of the system trust store. Example: /etc/kansoku/ca.pem. */
    String caFile = "";
  }

  static final class Bulk {
    /** Most documents per bulk request. Example: 1000. */
    int maxActions = 1000;
    /** Most bytes per bulk request. Example: 5MiB. */
    String maxBytes = "5MiB";
    /** Most bulk requests in flight; writers wait beyond that (backpressure). Example: 4. */
    int concurrency = 4;
  }

  @Override
  public void validate() {
    try {
      Endpoints.parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: " + e.getMessage());
    }
    if (!storage.type.equals("memory") && !storage.type.equals("embedded") && !storage.type.equals("opensearch")) {
      throw new IllegalArgumentException("storage::type: \"" + storage.type
          + "\" (expected: embedded, memory or opensearch)");
    }
    if (storage.type.equals("opensearch")) {
      openSearch(); // builds nothing that does I/O; every setting is checked here, before start
    }
    if (awsAuth != null && (awsAuth.accessKeyId.isBlank() || awsAuth.secretAccessKey.isBlank())) {
      throw new IllegalArgumentException("aws_auth: access_key_id and secret_access_key are both required");
    }
    if (storage.path.isBlank()) {
      throw new IllegalArgumentException("storage::path: empty (expected: a directory such as ./data)");
    }
    if (storage.retention.isNegative() || storage.retention.isZero()) {
      throw new IllegalArgumentException("storage::retention: expected > 0, e.g. 168h");
    }
    maxSizeBytes();
    if (storage.maxSpans <= 0 || storage.maxLogRecords <= 0 || storage.maxMetricPoints <= 0) {
      throw new IllegalArgumentException("storage: max_spans, max_log_records and max_metric_points must be > 0");
    }
  }

  /** The OpenSearch store these settings describe, not yet opened; errors name the setting's path. */
  OpenSearchStorage openSearch() {
    OpenSearch os = storage.opensearch;
    try {
      if (os.endpoints.isEmpty()) {
        throw new IllegalArgumentException("endpoints: empty (expected: at least one, e.g. [http://localhost:9200])");
      }
      OpenSearchStorage.Builder b = OpenSearchStorage.builder().indexPrefix(os.indexPrefix).refresh(os.refresh)
          .refreshInterval(os.refreshInterval).shards(os.shards).replicas(os.replicas).codec(os.codec)
          .bulkMaxActions(os.bulk.maxActions).bulkMaxBytes(size("bulk::max_bytes", os.bulk.maxBytes))
          .bulkConcurrency(os.bulk.concurrency).insecureSkipVerify(os.tls.insecureSkipVerify)
          .caFile(os.tls.caFile.isBlank() ? null : Path.of(os.tls.caFile)).retention(storage.retention);
      os.endpoints.forEach(b::endpoint);
      if (!os.username.isEmpty()) {
        b.basicAuth(os.username, os.password);
      }
      if (os.awsSigv4 != null) {
        b.awsSigV4(os.awsSigv4.region, os.awsSigv4.service);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("storage::opensearch::" + e.getMessage(), e);
    }
  }

  /** storage.max_size in bytes, 0 when unset: a number with an optional unit (KiB, MiB, GiB, TiB, KB, MB, GB, TB). */
  long maxSizeBytes() {
    return storage.maxSize.isBlank() ? 0 : size("storage::max_size", storage.maxSize);
  }

  private static long size(String path, String value) {
    String v = value.trim();
    Matcher m = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?").matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(path + ": \"" + v + "\" (expected: a size such as 500MiB or 20GiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor = switch (unit) {
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      case "TB" -> 1_000_000_000_000L;
      default -> 1L;
    };
    return n * factor;
  }
}
