package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The EC2 instance metadata service as the AWS SDKs call it: IMDSv2 (a session token from
 * {@code PUT /latest/api/token}, sent with every GET), falling back to IMDSv1 only when the token
 * call is refused as unsupported (403, 404, 405). The endpoint is
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, else {@code http://169.254.169.254} (or
 * {@code http://[fd00:ec2::254]} with {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6});
 * {@code AWS_EC2_METADATA_DISABLED=true} turns it off. Not thread-safe (one detection at a time).
 * Public for module kansoku-aws's {@code awscontainerinsightreceiver}, so that one client serves both.
 */
public final class Imds {
  static final String ENDPOINT_VARIABLE = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";

  /** A failed call: {@code status} is the HTTP status, or 0 when there was no answer. */
  public static final class ImdsException extends IOException {
    final int status;

    ImdsException(String message, int status) {
      super(message);
      this.status = status;
    }
  }

  private final URI endpoint;
  private final boolean disabled;
  private final int maxAttempts;
  private final Duration maxBackoff;
  private final MetadataHttp http = new MetadataHttp();
  @Nullable private String token;
  private boolean v1;

  public Imds(Function<String, String> env, int maxAttempts, Duration maxBackoff) {
    String configured = env.apply(ENDPOINT_VARIABLE);
    String mode = env.apply("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    String url = configured != null && !configured.isBlank() ? configured.trim()
        : "ipv6".equalsIgnoreCase(mode == null ? "" : mode.trim()) ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    this.endpoint = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.disabled = "true".equalsIgnoreCase(String.valueOf(env.apply("AWS_EC2_METADATA_DISABLED")).trim());
    this.maxAttempts = maxAttempts;
    this.maxBackoff = maxBackoff;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** {@code GET /latest/<path>} with the session token, retried up to max_attempts on 5xx and no answer. */
  public String get(String path, Instant deadline, int attempts) throws IOException {
    ImdsException last = null;
    for (int attempt = 1; attempt <= Math.min(attempts, maxAttempts); attempt++) {
      if (attempt > 1 && !pause(attempt, deadline)) {
        break;
      }
      try {
        return getOnce(path, deadline);
      } catch (ImdsException e) {
        last = e;
        if (e.status >= 400 && e.status < 500) {
          throw e;
        }
      }
    }
    throw last != null ? last : new ImdsException("GET " + path + ": no time left", 0);
  }

  private String getOnce(String path, Instant deadline) throws IOException {
    if (disabled) {
      throw new ImdsException("instance metadata is disabled (AWS_EC2_METADATA_DISABLED)", 0);
    }
    String t = token(deadline);
    URI uri = URI.create(endpoint + "/latest/" + path);
    MetadataHttp.Response r;
    try {
      r = http.get(uri, t == null ? Map.of() : Map.of(TOKEN_HEADER, t), deadline);
    } catch (IOException e) {
      throw new ImdsException("GET " + uri + ": " + e, 0);
    }
    if (r.status() == 401) {
      token = null; // expired: the next attempt asks for a new one
    }
    if (!r.ok()) {
      throw new ImdsException("GET " + uri + ": status " + r.status(), r.status());
    }
    return r.body();
  }

  @Nullable
  private String token(Instant deadline) throws ImdsException {
    if (token != null || v1) {
      return token;
    }
    URI uri = URI.create(endpoint + "/latest/api/token");
    MetadataHttp.Response r;
    try {
      r = http.put(uri, Map.of(TTL_HEADER, "21600"), deadline);
    } catch (IOException e) {
      throw new ImdsException("PUT " + uri + ": " + e, 0);
    }
    if (r.ok()) {
      token = r.body().trim();
      return token;
    }
    if (r.status() == 403 || r.status() == 404 || r.status() == 405) {
      v1 = true;
      return null;
    }
    throw new ImdsException("PUT " + uri + ": status " + r.status(), r.status());
  }

  /** Sleeps before attempt {@code attempt} (exponential from 100ms, capped); false when the deadline comes first. */
  private boolean pause(int attempt, Instant deadline) {
    long millis = Math.min(maxBackoff.toMillis(), 100L << Math.min(attempt - 2, 16));
    if (Instant.now().plusMillis(millis).isAfter(deadline)) {
      return false;
    }
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
