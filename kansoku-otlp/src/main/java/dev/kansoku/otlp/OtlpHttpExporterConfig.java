package dev.kansoku.otlp;

import dev.kansoku.pipeline.Signal;
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

/** {@code otlphttp}: sends all three signals to an OTLP/HTTP endpoint as protobuf or JSON. */
final class OtlpHttpExporterConfig implements Validatable {
  /**
   * Base URL; the signal paths /v1/traces, /v1/metrics and /v1/logs are appended. Required unless
   * every signal used has its own endpoint below. Example: https://collector.internal:4318.
   */
  String endpoint = "";
  /** Full URL for traces, used as is instead of endpoint + /v1/traces. Example: https://x.example/otlp/v1/traces. */
  String tracesEndpoint = "";
  /** Full URL for metrics, used as is instead of endpoint + /v1/metrics. Example: https://x.example/v1/metrics. */
  String metricsEndpoint = "";
  /** Full URL for logs, used as is instead of endpoint + /v1/logs. Example: https://x.example/v1/logs. */
  String logsEndpoint = "";
  /** TLS of https connections (the URL's scheme decides whether TLS is used). Example: {@code ca_file: ca.pem}. */
  TlsClientSettings tls = new TlsClientSettings();
  /** Extra request headers, sent with every export. Example: {@code x-tenant: acme}. */
  Map<String, String> headers = new LinkedHashMap<>();
  /** Request compression: gzip or none. Example: none. */
  String compression = "gzip";
  /** Limit of one attempt; retries get a fresh one. The collector's default. Example: 10s. */
  Duration timeout = Duration.ofSeconds(30);
  /** Body encoding: proto (application/x-protobuf) or json (application/json). Example: json. */
  String encoding = "proto";
  /** Backoff for retryable failures (429, 502, 503, 504, connection errors). Example: {@code max_elapsed_time: 60s}. */
  RetrySettings retryOnFailure = new RetrySettings();
  /** Queue between the pipeline and the sender threads. Example: {@code queue_size: 5000}. */
  QueueSettings sendingQueue = new QueueSettings();
  /** The client authenticator extension that supplies auth headers. Example: {@code authenticator: bearertokenauth}. */
  AuthSettings auth = new AuthSettings();

  @Override
  public void validate() {
    if (endpoint.isBlank() && tracesEndpoint.isBlank() && metricsEndpoint.isBlank() && logsEndpoint.isBlank()) {
      throw new IllegalArgumentException("endpoint: must be set, or traces_endpoint, metrics_endpoint and "
          + "logs_endpoint for the signals used (expected: a URL such as http://localhost:4318)");
    }
    for (Signal<?> s : Signal.ALL) {
      url(s);
    }
    OtlpGrpcExporterConfig.checkCompression(compression);
    OtlpGrpcExporterConfig.checkTimeout(timeout);
    if (!encoding.equals("proto") && !encoding.equals("json")) {
      throw new IllegalArgumentException("encoding: \"" + encoding + "\" (expected: proto or json)");
    }
    retryOnFailure.validate();
    sendingQueue.validate();
  }

  /** Where {@code signal} goes, or null when neither its own endpoint nor the base endpoint is set. */
  @Nullable
  URI url(Signal<?> signal) {
    String key = signal.name() + "_endpoint";
    String own = signal == Signal.TRACES ? tracesEndpoint : signal == Signal.METRICS ? metricsEndpoint : logsEndpoint;
    if (!own.isBlank()) {
      return checkUrl(key, own.strip());
    }
    if (endpoint.isBlank()) {
      return null;
    }
    String base = endpoint.strip();
    checkUrl("endpoint", base);
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return URI.create(trimmed + "/v1/" + signal.name());
  }

  private static URI checkUrl(String key, String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": \"" + value + "\" is not a URL (expected: e.g. http://host:4318)");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(key + ": \"" + value + "\" (expected: an http:// or https:// URL with a host)");
    }
    return uri;
  }
}
