package dev.kansoku.api;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.Endpoints;

/**
 * {@code kansoku} extension: owns the store and serves the query API (and, later, the console and
 * the AWS-compatible APIs) on one HTTP endpoint.
 */
final class KansokuExtensionConfig implements Validatable {
  /** host:port of the HTTP endpoint; loopback unless you say otherwise. Example: 0.0.0.0:4600. */
  String endpoint = "localhost:4600";
  /** Require an authenticator extension's approval for every request. Example: {authenticator: bearertokenauth}. */
  AuthSettings auth;
  Storage storage = new Storage();

  static final class Storage {
    /** The engine: memory (bounded, not durable). The durable embedded engine is in development. */
    String type = "memory";
    /** memory: the most spans kept; the oldest traces are evicted whole. Example: 1000000. */
    int maxSpans = 1_000_000;
    /** memory: the most log records kept. Example: 1000000. */
    int maxLogRecords = 1_000_000;
    /** memory: the most metric data points kept. Example: 1000000. */
    int maxMetricPoints = 1_000_000;
  }

  @Override
  public void validate() {
    try {
      Endpoints.parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: " + e.getMessage());
    }
    if (!storage.type.equals("memory")) {
      throw new IllegalArgumentException("storage::type: \"" + storage.type + "\" (expected: memory; the durable"
          + " embedded engine is in development)");
    }
    if (storage.maxSpans <= 0 || storage.maxLogRecords <= 0 || storage.maxMetricPoints <= 0) {
      throw new IllegalArgumentException("storage: max_spans, max_log_records and max_metric_points must be > 0");
    }
  }
}
