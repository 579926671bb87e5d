package dev.kansoku.api;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.Endpoints;
import java.time.Duration;
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
    /** The engine: embedded (on local disk, durable, no setup) or memory (bounded, lost on restart). */
    String type = "embedded";
    /** embedded: the data directory, created when missing. Example: /var/lib/kansoku. */
    String path = "./data";
    /** embedded: data older than this is deleted. Example: 72h. */
    Duration retention = Duration.ofDays(7);
    /** embedded: the oldest data is deleted while the directory is larger than this. Example: 20GiB. */
    String maxSize = "";
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
    if (!storage.type.equals("memory") && !storage.type.equals("embedded")) {
      throw new IllegalArgumentException("storage::type: \"" + storage.type + "\" (expected: embedded or memory)");
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

  /** storage.max_size in bytes, 0 when unset: a number with an optional unit (KiB, MiB, GiB, TiB, KB, MB, GB, TB). */
  long maxSizeBytes() {
    String v = storage.maxSize.trim();
    if (v.isEmpty()) {
      return 0;
    }
    Matcher m = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?").matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("storage::max_size: \"" + v + "\" (expected: a size such as 500MiB or 20GiB)");
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
