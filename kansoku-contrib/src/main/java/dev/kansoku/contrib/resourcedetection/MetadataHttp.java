package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Blocking calls to a metadata service on the local link (ECS task metadata, EC2 instance
 * metadata), each bounded by the detection's deadline. Thread-safe.
 */
final class MetadataHttp {
  /** Metadata services answer on the local link at once; one that does not connect in a second is not there. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  record Response(int status, String body) {
    boolean ok() {
      return status == 200;
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  Response get(URI uri, Map<String, String> headers, Instant deadline) throws IOException {
    return send(uri, "GET", headers, deadline);
  }

  Response put(URI uri, Map<String, String> headers, Instant deadline) throws IOException {
    return send(uri, "PUT", headers, deadline);
  }

  private Response send(URI uri, String method, Map<String, String> headers, Instant deadline) throws IOException {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new HttpTimeoutException(method + " " + uri + ": no time left");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(left)
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(method + " " + uri + ": interrupted");
    }
  }
}
