package dev.kansoku.store.opensearch;

import dev.kansoku.store.ByteSize;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code storage: {type: opensearch}}: an OpenSearch cluster or Amazon OpenSearch Service, for scale-out. */
public final class OpenSearchStorageFactory implements StorageFactory<OpenSearchStorageFactory.Config> {
  /** Settings under {@code storage} when {@code type: opensearch}. */
  public static final class Config {
    /** Data older than this is deleted (the daily indices that hold only older data). Example: 72h. */
    Duration retention = Duration.ofDays(7);
    /** The cluster and how to write to it. */
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
  public String type() {
    return "opensearch";
  }

  @Override
  public Config createDefaultConfig() {
    return new Config();
  }

  @Override
  public void validate(Config c) {
    if (c.retention.isNegative() || c.retention.isZero()) {
      throw new IllegalArgumentException("retention: expected > 0, e.g. 168h");
    }
    build(c); // builds nothing that does I/O; every setting is checked here, before start
  }

  @Override
  public Storage open(Config c) {
    OpenSearchStorage os = build(c);
    try {
      os.open();
    } catch (RuntimeException e) {
      os.close();
      throw new IllegalStateException("opensearch: " + e.getMessage(), e);
    }
    return os;
  }

  /** The store these settings describe, not yet opened; errors name the setting's path. */
  static OpenSearchStorage build(Config c) {
    OpenSearch os = c.opensearch;
    try {
      if (os.endpoints.isEmpty()) {
        throw new IllegalArgumentException("endpoints: empty (expected: at least one, e.g. [http://localhost:9200])");
      }
      OpenSearchStorage.Builder b = OpenSearchStorage.builder().indexPrefix(os.indexPrefix).refresh(os.refresh)
          .refreshInterval(os.refreshInterval).shards(os.shards).replicas(os.replicas).codec(os.codec)
          .bulkMaxActions(os.bulk.maxActions).bulkMaxBytes(ByteSize.parse("bulk::max_bytes", os.bulk.maxBytes))
          .bulkConcurrency(os.bulk.concurrency).insecureSkipVerify(os.tls.insecureSkipVerify)
          .caFile(os.tls.caFile.isBlank() ? null : Path.of(os.tls.caFile)).retention(c.retention);
      os.endpoints.forEach(b::endpoint);
      if (!os.username.isEmpty()) {
        b.basicAuth(os.username, os.password);
      }
      if (os.awsSigv4 != null) {
        b.awsSigV4(os.awsSigv4.region, os.awsSigv4.service);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("opensearch::" + e.getMessage(), e);
    }
  }
}
