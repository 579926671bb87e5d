package dev.kansoku.otlp;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import dev.kansoku.pipeline.config.TlsClientSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code otlp}: sends all three signals to an OTLP/gRPC endpoint (another collector, a backend). */
final class OtlpGrpcExporterConfig implements Validatable {
  /**
   * Where to send: {@code host:port} (TLS unless {@code tls.insecure: true}, as the collector does)
   * or {@code http://host:port} (plain text) or {@code https://host:port}. Required. Example:
   * collector.internal:4317.
   */
  String endpoint = "";
  /** TLS of the connection. Example: {@code insecure: true} for a plain-text host:port. */
  TlsClientSettings tls = new TlsClientSettings();
  /** Extra request headers, sent with every export. Example: {@code x-tenant: acme}. */
  Map<String, String> headers = new LinkedHashMap<>();
  /** Request compression: gzip or none. Example: none. */
  String compression = "gzip";
  /** Limit of one attempt; retries get a fresh one. Example: 10s. */
  Duration timeout = Duration.ofSeconds(5);
  /** Backoff for retryable failures (UNAVAILABLE, RESOURCE_EXHAUSTED, ...). Example: {@code max_elapsed_time: 60s}. */
  RetrySettings retryOnFailure = new RetrySettings();
  /** Queue between the pipeline and the sender threads. Example: {@code queue_size: 5000}. */
  QueueSettings sendingQueue = new QueueSettings();
  /** The client authenticator extension that supplies auth headers. Example: {@code authenticator: bearertokenauth}. */
  AuthSettings auth = new AuthSettings();

  @Override
  public void validate() {
    target();
    checkCompression(compression);
    checkTimeout(timeout);
    retryOnFailure.validate();
    sendingQueue.validate();
  }

  /** The endpoint as an Armeria URI with the scheme that says TLS or plain text: https://h:p or http://h:p. */
  URI target() {
    String e = endpoint.strip();
    if (e.isEmpty()) {
      throw new IllegalArgumentException("endpoint: must be set (expected: host:port or http(s)://host:port)");
    }
    boolean hasScheme = e.startsWith("http://") || e.startsWith("https://");
    if (!hasScheme && e.contains("://")) {
      throw new IllegalArgumentException("endpoint: \"" + endpoint
          + "\" has an unsupported scheme (expected: host:port or http(s)://host:port)");
    }
    URI uri;
    try {
      uri = new URI(hasScheme ? e : "//" + e);
    } catch (URISyntaxException ex) {
      throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" is not host:port (" + ex.getReason() + ")");
    }
    String path = uri.getRawPath();
    if (uri.getHost() == null || path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("endpoint: \"" + endpoint
          + "\" (expected: host:port or http(s)://host:port, without a path)");
    }
    if (!hasScheme && uri.getPort() < 0) {
      throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" has no port (expected: host:port, e.g. "
          + uri.getHost() + ":4317)");
    }
    boolean useTls = hasScheme ? uri.getScheme().equals("https") : !tls.insecure;
    int port = uri.getPort() >= 0 ? uri.getPort() : useTls ? 443 : 80;
    String host = uri.getHost();
    return URI.create((useTls ? "https" : "http") + "://" + host + ":" + port);
  }

  static void checkCompression(String compression) {
    if (!compression.equals("gzip") && !compression.equals("none")) {
      throw new IllegalArgumentException("compression: \"" + compression + "\" (expected: gzip or none)");
    }
  }

  static void checkTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }
}
