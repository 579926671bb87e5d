package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.SessionProtocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.Nullable;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The REST calls this store makes, over Armeria's client: round-robin over the configured nodes
 * (a request that never reached a node goes to the next one), basic auth or AWS SigV4 per request,
 * TLS with a CA file or without verification. Responses are JSON trees; a non-2xx answer becomes a
 * {@link OpenSearchException} carrying OpenSearch's error type and reason.
 *
 * <p>The HTTP client is built on first use, so constructing this does no I/O. Thread-safe.
 */
final class OpenSearchClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType NDJSON = MediaType.parse("application/x-ndjson");

  private final List<URI> endpoints;
  private final Auth auth;
  private final boolean insecureSkipVerify;
  @Nullable private final Path caFile;
  private final Duration timeout;
  private final AtomicInteger next = new AtomicInteger();
  private final Object lock = new Object();
  @Nullable private List<WebClient> clients; // guarded by lock
  @Nullable private ClientFactory factory; // guarded by lock; null when the shared default is used

  /** How requests prove who they are. */
  sealed interface Auth {
    record None() implements Auth {}

    record Basic(String username, String password) implements Auth {}

    /** Amazon OpenSearch Service ({@code es}) or Serverless ({@code aoss}). */
    record SigV4(String region, String service, AwsCredentialsProvider credentials) implements Auth {}
  }

  /** An answer outside 2xx, or no answer at all (status 0). */
  static final class OpenSearchException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;

    OpenSearchException(int status, String type, String message, @Nullable Throwable cause) {
      super(message, cause);
      this.status = status;
      this.type = type;
    }

    /** Worth another try: overload, a node restarting, no connection. */
    boolean retryable() {
      return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
    }
  }

  OpenSearchClient(List<URI> endpoints, Auth auth, boolean insecureSkipVerify, @Nullable Path caFile,
      Duration timeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: empty (expected: at least one, e.g. http://localhost:9200)");
    }
    this.endpoints = List.copyOf(endpoints);
    this.auth = auth;
    this.insecureSkipVerify = insecureSkipVerify;
    this.caFile = caFile;
    this.timeout = timeout;
  }

  JsonNode get(String path) {
    return json(HttpMethod.GET, path, null);
  }

  JsonNode put(String path, Object body) {
    return json(HttpMethod.PUT, path, bytes(body));
  }

  JsonNode post(String path, Object body) {
    return json(HttpMethod.POST, path, bytes(body));
  }

  JsonNode delete(String path) {
    return json(HttpMethod.DELETE, path, null);
  }

  /** A bulk request: {@code body} is NDJSON, one action line and one document line per item. */
  CompletableFuture<JsonNode> bulkAsync(String path, byte[] body) {
    return sendAsync(HttpMethod.POST, path, body, NDJSON).thenApply(r -> parse(HttpMethod.POST, path, r));
  }

  JsonNode json(HttpMethod method, String path, @Nullable byte[] body) {
    try {
      return sendAsync(method, path, body, MediaType.JSON_UTF_8).thenApply(r -> parse(method, path, r)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private static byte[] bytes(Object body) {
    try {
      return body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body: " + e.getMessage(), e);
    }
  }

  private JsonNode parse(HttpMethod method, String path, AggregatedHttpResponse r) {
    int status = r.status().code();
    JsonNode tree;
    try {
      tree = r.content().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.content().array());
    } catch (IOException e) {
      throw new OpenSearchException(status, "invalid_response", method + " " + path + ": HTTP " + status
          + " with a body that is not JSON: " + abbreviate(r.contentUtf8()), e);
    }
    if (status / 100 != 2) {
      JsonNode error = tree.path("error");
      String type = error.path("type").asText(status == 404 ? "not_found" : "http_" + status);
      String reason = error.isTextual() ? error.asText() : error.path("reason").asText(abbreviate(r.contentUtf8()));
      throw new OpenSearchException(status, type, method + " " + path + ": HTTP " + status + " " + type + ": "
          + reason, null);
    }
    return tree;
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  private CompletableFuture<AggregatedHttpResponse> sendAsync(HttpMethod method, String path,
      @Nullable byte[] body, MediaType type) {
    List<WebClient> all = clients();
    int first = Math.floorMod(next.getAndIncrement(), all.size());
    return attempt(all, first, 0, method, path, body, type);
  }

  /** Tries node {@code index}; a request that never reached it (refused, unresolvable) moves to the next. */
  private CompletableFuture<AggregatedHttpResponse> attempt(List<WebClient> all, int index, int tried,
      HttpMethod method, String path, @Nullable byte[] body, MediaType type) {
    URI endpoint = endpoints.get(index);
    HttpRequest request;
    try {
      request = request(endpoint, method, path, body, type);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new OpenSearchException(0, "signing_failed", method + " " + path
          + ": cannot sign the request: " + e.getMessage(), e));
    }
    return all.get(index).execute(request).aggregate().handle((r, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(r);
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof UnprocessedRequestException && tried + 1 < all.size()) {
        return attempt(all, (index + 1) % all.size(), tried + 1, method, path, body, type);
      }
      return CompletableFuture.<AggregatedHttpResponse>failedFuture(new OpenSearchException(0, "unreachable",
          method + " " + path + " on " + endpoint + ": " + message(cause), cause));
    }).thenCompose(f -> f);
  }

  private static String message(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return t == root ? String.valueOf(t) : t + " (" + root + ")";
  }

  private HttpRequest request(URI endpoint, HttpMethod method, String path, @Nullable byte[] body, MediaType type) {
    RequestHeadersBuilder h = RequestHeaders.builder(method, path);
    if (body != null) {
      h.contentType(type);
    }
    if (auth instanceof Auth.Basic b) {
      h.set("authorization", "Basic " + Base64.getEncoder().encodeToString(
          (b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8)));
    } else if (auth instanceof Auth.SigV4 s) {
      sign(h, endpoint, method, path, body, s);
    }
    return body == null ? HttpRequest.of(h.build()) : HttpRequest.of(h.build(),
        com.linecorp.armeria.common.HttpData.wrap(body));
  }

  /** Adds SigV4 headers; the payload hash goes in x-amz-content-sha256, which Serverless requires. */
  private static void sign(RequestHeadersBuilder h, URI endpoint, HttpMethod method, String path,
      @Nullable byte[] body, Auth.SigV4 s) {
    byte[] payload = body == null ? new byte[0] : body;
    URI full = URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path);
    SdkHttpRequest.Builder sdk = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method.name())).uri(full)
        .putHeader("x-amz-content-sha256", sha256(payload));
    if (body != null) {
      sdk.putHeader("content-type", h.contentType().toString());
    }
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(s.credentials().resolveCredentials())
        .request(sdk.build()).payload(() -> new ByteArrayInputStream(payload))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, s.service())
        .putProperty(AwsV4HttpSigner.REGION_NAME, s.region()));
    for (Map.Entry<String, List<String>> e : signed.request().headers().entrySet()) {
      String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
      if (!name.equals("host") && !name.equals("content-type")) {
        h.set(name, e.getValue().get(0));
      }
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  private List<WebClient> clients() {
    synchronized (lock) {
      if (clients == null) {
        ClientFactory f = factory();
        List<WebClient> built = new ArrayList<>();
        for (URI e : endpoints) {
          built.add(WebClient.builder(SessionProtocol.of(e.getScheme()), com.linecorp.armeria.client.Endpoint.of(
                  e.getHost(), e.getPort() > 0 ? e.getPort() : e.getScheme().equals("https") ? 443 : 80))
              .factory(f).responseTimeout(timeout).maxResponseLength(512L << 20).build());
        }
        clients = List.copyOf(built);
      }
      return clients;
    }
  }

  private ClientFactory factory() {
    if (!insecureSkipVerify && caFile == null) {
      return ClientFactory.ofDefault();
    }
    ClientFactoryBuilder b = ClientFactory.builder();
    if (insecureSkipVerify) {
      b.tlsNoVerify();
    } else {
      TrustManagerFactory tmf = trustManagers(caFile);
      b.tlsCustomizer(ssl -> ssl.trustManager(tmf));
    }
    factory = b.build();
    return factory;
  }

  private static TrustManagerFactory trustManagers(Path caFile) {
    try (var in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("tls::ca_file: " + caFile + " holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("tls::ca_file: cannot read " + caFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (factory != null) {
        factory.close();
        factory = null;
      }
      clients = null;
    }
  }
}
