package dev.kansoku.prometheus.remotewrite;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.TlsKeyPair;
import dev.kansoku.pipeline.ClientAuthenticator;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.TlsClientSettings;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * {@code prometheusremotewrite}: translates each metrics batch to remote write 1.0 requests
 * ({@link RemoteWriteTranslator}, {@link RemoteWriteEncoder}), snappy-compresses and POSTs them, up to
 * {@code max_batch_request_parallelism} at once. As the collector: 5xx and 429 are retried (only the
 * requests that failed, honouring Retry-After), any other status is permanent and the request dropped.
 */
final class PrometheusRemoteWriteExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(PrometheusRemoteWriteExporter.class);
  static final String USER_AGENT = "Kansoku prometheusremotewrite";
  private static final int MAX_BODY_IN_MESSAGE = 256;

  private final String id;
  private final PrometheusRemoteWriteConfig config;
  private final URI url;
  private final RemoteWriteTranslator translator;
  private final Map<String, String> headers;
  private final ExporterLifecycle<Client> lifecycle;
  private final RateLimitedLog dropWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  private record Client(ClientFactory factory, WebClient web, @Nullable ClientAuthenticator auth) {}

  PrometheusRemoteWriteExporter(String id, PrometheusRemoteWriteConfig config) {
    this.id = id;
    this.config = config;
    this.url = config.uri();
    this.translator = new RemoteWriteTranslator(RemoteWriteTranslator.Settings.of(config));
    this.headers = Map.copyOf(config.headers);
    this.lifecycle = new ExporterLifecycle<>(id, config.retryOnFailure, config.queue(), this::open, this::send,
        c -> c.factory().close());
  }

  @Override
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    if (signal != Signal.METRICS) {
      throw new IllegalArgumentException("exporter " + id + " exports metrics only, not " + signal.name());
    }
    return lifecycle.consumer(signal);
  }

  private Client open(Host host) {
    ClientAuthenticator auth = null;
    if (!config.auth.authenticator.isBlank()) {
      ComponentId ext = ComponentId.parse(config.auth.authenticator);
      auth = host.extension(ext, ClientAuthenticator.class).orElseThrow(() -> new IllegalArgumentException(
          "auth::authenticator: extension \"" + ext + "\" is not configured or cannot authenticate clients"
              + " (expected: the id of a client authenticator such as sigv4auth under extensions)"));
    }
    ClientFactory factory = clientFactory(config.tls);
    WebClient web = WebClient.builder(url.getScheme() + "://" + url.getRawAuthority())
        .factory(factory)
        .responseTimeout(config.timeout.isZero() ? Duration.ZERO : config.timeout)
        .build();
    log.info("Exporter {} sends Prometheus remote write 1.0 to {}", id, url);
    return new Client(factory, web, auth);
  }

  private <T> void send(Client client, Signal<T> signal, T batch) throws ConsumeException {
    ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) batch;
    RemoteWriteTranslator.Result result = translator.translate(request);
    if (!result.droppedMetrics().isEmpty()) {
      log.debug("Exporter {}: {} data points have no Prometheus remote write form and were dropped: {}", id,
          result.droppedPoints(), result.droppedMetrics());
    }
    List<RemoteWriteEncoder.Request> requests =
        RemoteWriteEncoder.encode(result.series(), result.metadata(), config.maxBatchSizeBytes);
    sendAll(client, requests, signal.count(batch), Math.max(1, result.samples()));
  }

  /** Sends {@code requests}; throws a partial failure that resends only the retryable failures. */
  private void sendAll(Client client, List<RemoteWriteEncoder.Request> requests, int points, int samples)
      throws ConsumeException {
    List<RemoteWriteEncoder.Request> retry = new ArrayList<>();
    ConsumeException lastRetryable = null;
    ConsumeException lastPermanent = null;
    int parallelism = config.parallelism();
    for (int from = 0; from < requests.size(); from += parallelism) {
      List<RemoteWriteEncoder.Request> wave = requests.subList(from, Math.min(requests.size(), from + parallelism));
      List<CompletableFuture<AggregatedHttpResponse>> answers = new ArrayList<>(wave.size());
      for (RemoteWriteEncoder.Request r : wave) {
        answers.add(post(client, r));
      }
      for (int i = 0; i < wave.size(); i++) {
        ConsumeException failure = outcome(answers.get(i));
        if (failure == null) {
          continue;
        }
        if (failure.retryable()) {
          retry.add(wave.get(i));
          lastRetryable = failure;
        } else {
          lastPermanent = failure;
          // The failure thrown at the end is logged by the sender; the others of a split batch are not.
          dropWarnings.warn("Exporter {}: dropped a remote write request of {} samples: {}", id,
              wave.get(i).samples(), failure.getMessage());
        }
      }
    }
    if (lastRetryable != null) {
      int unsentSamples = retry.stream().mapToInt(RemoteWriteEncoder.Request::samples).sum();
      int unsentPoints = (int) Math.min(points, Math.max(1, (long) points * unsentSamples / samples));
      List<RemoteWriteEncoder.Request> again = List.copyOf(retry);
      throw ConsumeException.partial(lastRetryable, unsentPoints, () -> sendAll(client, again, unsentPoints,
          Math.max(1, unsentSamples)));
    }
    if (lastPermanent != null) {
      throw lastPermanent;
    }
  }

  private CompletableFuture<AggregatedHttpResponse> post(Client client, RemoteWriteEncoder.Request request) {
    byte[] body;
    try {
      body = Snappy.compress(request.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory compression does not fail
    }
    String path = (url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path);
    headers.forEach(h::set);
    h.set(HttpHeaderNames.CONTENT_ENCODING, "snappy")
        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf")
        .set("X-Prometheus-Remote-Write-Version", "0.1.0")
        .set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    if (client.auth() != null) {
      // A signature covers the bytes actually sent, so sign after compressing, once per attempt.
      Map<String, String> signed = new HashMap<>();
      headers.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), v));
      signed.put("content-encoding", "snappy");
      signed.put("content-type", "application/x-protobuf");
      signed.put("x-prometheus-remote-write-version", "0.1.0");
      signed.put("user-agent", USER_AGENT);
      client.auth().headers(new ClientAuthenticator.ClientRequest("POST", url, signed, body)).forEach(h::set);
    }
    return client.web().execute(HttpRequest.of(h.build(), HttpData.wrap(body))).aggregate();
  }

  /** Null when delivered; else the failure, retryable for 5xx, 429 and connection errors. */
  @Nullable
  private ConsumeException outcome(CompletableFuture<AggregatedHttpResponse> answer) {
    AggregatedHttpResponse res;
    try {
      res = answer.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof UnprocessedRequestException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return ConsumeException.unavailable("exporter " + id + ": cannot reach " + url + ": " + cause, null, cause);
    }
    int status = res.status().code();
    if (status / 100 == 2) {
      return null;
    }
    String text = res.content().toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    String message = "exporter " + id + ": " + url + " answered HTTP " + status + (text.isEmpty() ? ""
        : ": " + (text.length() > MAX_BODY_IN_MESSAGE ? text.substring(0, MAX_BODY_IN_MESSAGE) + "..." : text));
    if (status / 100 == 5 || status == 429) {
      Duration retryAfter = retryAfter(res.headers().get(HttpHeaderNames.RETRY_AFTER));
      return status == 429 && retryAfter != null ? ConsumeException.overloaded(message, retryAfter)
          : ConsumeException.unavailable(message, retryAfter, null);
    }
    return status == 400 ? ConsumeException.invalid(message) : ConsumeException.permanent(message, null);
  }

  /** Retry-After in seconds; null when absent or not a number of seconds. */
  @Nullable
  static Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank() || !value.strip().chars().allMatch(Character::isDigit)
        || value.strip().length() > 9) {
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(value.strip()));
  }

  static ClientFactory clientFactory(TlsClientSettings tls) {
    ClientFactoryBuilder b = ClientFactory.builder();
    if (tls.insecureSkipVerify) {
      b.tlsNoVerify();
    }
    if (!tls.caFile.isEmpty()) {
      File ca = readable("tls::ca_file", tls.caFile);
      b.tlsCustomizer(ssl -> ssl.trustManager(ca));
    }
    if (!tls.certFile.isEmpty() || !tls.keyFile.isEmpty()) {
      if (tls.certFile.isEmpty() || tls.keyFile.isEmpty()) {
        throw new IllegalArgumentException("tls: cert_file and key_file go together (expected: both or neither)");
      }
      b.tls(TlsKeyPair.of(readable("tls::key_file", tls.keyFile), readable("tls::cert_file", tls.certFile)));
    }
    return b.build();
  }

  private static File readable(String key, String path) {
    File f = new File(path);
    if (!f.canRead()) {
      throw new IllegalArgumentException(key + ": cannot read \"" + path + "\" (expected: a readable PEM file)");
    }
    return f;
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }

  @Override
  public String toString() {
    return "PrometheusRemoteWriteExporter{" + id + " -> " + url + "}";
  }
}
