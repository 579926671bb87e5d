package dev.kansoku.otlp;

import com.google.protobuf.Message;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.encoding.DecodingClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.kansoku.pipeline.ClientAuthenticator;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code otlphttp}: exports every signal over OTLP/HTTP (protobuf or JSON) with Armeria's
 * WebClient. {@link ExporterLifecycle} adds start/shutdown, queue and retry; this class opens the
 * clients, sends one batch, and maps the HTTP answer to {@link ConsumeException} as the OTLP
 * specification says.
 */
final class OtlpHttpExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(OtlpHttpExporter.class);
  private static final MediaType X_PROTOBUF = MediaType.parse("application/x-protobuf");
  /** How much of an unparseable error body goes into a message. */
  private static final int MAX_BODY_IN_MESSAGE = 256;

  private final String id;
  private final OtlpHttpExporterConfig config;
  private final boolean json;
  private final ExporterLifecycle<Clients> lifecycle;
  /** Copied: the configuration object is mutable, and the decorator reads this on every request. */
  private final Map<String, String> headers;
  private final RateLimitedLog partialWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  /** One signal's URL and the client bound to its origin. */
  private record Target(URI url, String pathAndQuery, WebClient client) {}

  /** The targets share one connection pool (the client factory), which close releases. */
  private record Clients(ClientFactory factory, Map<Signal<?>, Target> targets,
      @Nullable ClientAuthenticator authenticator) {}

  OtlpHttpExporter(String id, OtlpHttpExporterConfig config) {
    this.id = id;
    this.config = config;
    this.json = config.encoding.equals("json");
    this.headers = Map.copyOf(config.headers);
    this.lifecycle = new ExporterLifecycle<>(id, config.retryOnFailure, config.sendingQueue, this::open, this::send,
        c -> c.factory().close());
  }

  @Override
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    if (config.url(signal) == null) {
      // The service asks while it builds pipelines, so this reads as a configuration error.
      throw new IllegalArgumentException("exporter " + id + " has no URL for " + signal.name() + " (expected: endpoint or "
          + signal.name() + "_endpoint)");
    }
    return lifecycle.consumer(signal);
  }

  private Clients open(Host host) {
    ClientAuthenticator auth = OtlpGrpcExporter.authenticator(host, config.auth);
    ClientFactory factory = OtlpGrpcExporter.clientFactory(config.tls);
    Map<Signal<?>, Target> map = new HashMap<>();
    for (Signal<?> s : Signal.ALL) {
      URI url = config.url(s);
      if (url == null) {
        continue;
      }
      WebClient client = WebClient.builder(url.getScheme() + "://" + url.getRawAuthority())
          .factory(factory)
          .responseTimeout(config.timeout)
          .decorator(DecodingClient.newDecorator())
          .decorator((delegate, ctx, req) -> {
            headers.forEach(ctx::setAdditionalRequestHeader);
            return delegate.execute(ctx, req);
          })
          .build();
      String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      map.put(s, new Target(url, url.getRawQuery() == null ? path : path + "?" + url.getRawQuery(), client));
    }
    log.info("Exporter {} sends OTLP/HTTP ({}, compression {}) to {}", id, config.encoding, config.compression,
        map.values().stream().map(t -> t.url().toString()).sorted().toList());
    return new Clients(factory, Map.copyOf(map), auth);
  }

  private <T> void send(Clients clients, Signal<T> signal, T batch) throws ConsumeException {
    Target target = clients.targets().get(signal);
    byte[] body = json ? OtlpJson.write((Message) batch) : ((Message) batch).toByteArray();
    RequestHeadersBuilder requestHeaders = RequestHeaders.builder(HttpMethod.POST, target.pathAndQuery())
        .contentType(json ? MediaType.JSON : X_PROTOBUF);
    if (config.compression.equals("gzip")) {
      body = gzip(body);
      requestHeaders.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
    }
    ClientAuthenticator auth = clients.authenticator();
    if (auth != null) {
      // Per attempt, after compression: a signature covers the bytes actually sent.
      Map<String, String> signed = new HashMap<>();
      headers.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), v));
      signed.put("content-type", json ? "application/json" : "application/x-protobuf");
      if (config.compression.equals("gzip")) {
        signed.put("content-encoding", "gzip");
      }
      auth.headers(new ClientAuthenticator.ClientRequest("POST", target.url(), signed, body))
          .forEach(requestHeaders::set);
    }
    AggregatedHttpResponse res;
    try {
      res = target.client().execute(HttpRequest.of(requestHeaders.build(), HttpData.wrap(body))).aggregate().join();
    } catch (CompletionException e) {
      // Refused or reset connections, TLS failures, timeouts: the endpoint may be back later.
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof UnprocessedRequestException && cause.getCause() != null) {
        cause = cause.getCause(); // says only "not sent"; the reason is inside
      }
      throw ConsumeException.unavailable("exporter " + id + ": cannot reach " + target.url() + ": " + cause, null,
          cause);
    }
    if (res.status().isSuccess()) {
      partialSuccess(signal, target.url(), res);
      return;
    }
    throw toConsumeException(id, target.url(), res.status().code(), res.headers(), res.contentType(),
        res.content().array(), Clock.systemUTC());
  }

  /** The data was delivered; what the server rejected of it is its decision, so warn, do not fail. */
  private void partialSuccess(Signal<?> signal, URI url, AggregatedHttpResponse res) {
    byte[] bytes = res.content().array();
    if (bytes.length == 0) {
      return;
    }
    long rejected;
    String message;
    try {
      if (signal == Signal.TRACES) {
        var p = parse(ExportTraceServiceResponse.getDefaultInstance(), res.contentType(), bytes).getPartialSuccess();
        rejected = p.getRejectedSpans();
        message = p.getErrorMessage();
      } else if (signal == Signal.METRICS) {
        var p = parse(ExportMetricsServiceResponse.getDefaultInstance(), res.contentType(), bytes).getPartialSuccess();
        rejected = p.getRejectedDataPoints();
        message = p.getErrorMessage();
      } else {
        var p = parse(ExportLogsServiceResponse.getDefaultInstance(), res.contentType(), bytes).getPartialSuccess();
        rejected = p.getRejectedLogRecords();
        message = p.getErrorMessage();
      }
    } catch (IOException | InvalidOtlpException e) {
      // The data was accepted (2xx); an odd body is not worth failing the export for.
      return;
    }
    if (rejected > 0 || !message.isEmpty()) {
      partialWarnings.warn("Exporter {}: {} rejected {} {} of a batch: {}", id, url, rejected, signal.itemName(),
          message.isEmpty() ? "(no message)" : message);
    }
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> M parse(M prototype, @Nullable MediaType type, byte[] bytes)
      throws IOException, InvalidOtlpException {
    if (type != null && type.is(MediaType.JSON)) {
      return OtlpJson.parse((Class<M>) prototype.getClass(), bytes);
    }
    return (M) prototype.newBuilderForType().mergeFrom(bytes).build();
  }

  /**
   * The one place that maps an HTTP answer to retryable or permanent (OTLP spec, "Failures"):
   * 429, 502, 503 and 504 are retried, honouring Retry-After; every other status is permanent.
   */
  static ConsumeException toConsumeException(String id, URI url, int status, ResponseHeaders headers,
      @Nullable MediaType contentType, byte[] body, Clock clock) {
    String message = "exporter " + id + ": " + url + " answered HTTP " + status + errorDetail(contentType, body);
    switch (status) {
      case 429:
      case 502:
      case 503:
      case 504: {
        Duration retryAfter = retryAfter(headers.get(HttpHeaderNames.RETRY_AFTER), clock);
        return status == 429 && retryAfter != null
            ? ConsumeException.overloaded(message, retryAfter) : ConsumeException.unavailable(message, retryAfter, null);
      }
      case 400:
        return ConsumeException.invalid(message);
      default:
        return ConsumeException.permanent(message, null);
    }
  }

  /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  @Nullable
  static Duration retryAfter(@Nullable String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** ": message" of a google.rpc.Status body, else the start of the body as text, else "". */
  private static String errorDetail(@Nullable MediaType contentType, byte[] body) {
    if (body.length == 0) {
      return "";
    }
    try {
      com.google.rpc.Status s = parse(com.google.rpc.Status.getDefaultInstance(), contentType, body);
      if (!s.getMessage().isEmpty()) {
        return ": " + s.getMessage();
      }
    } catch (IOException | InvalidOtlpException | RuntimeException e) {
      // Not a google.rpc.Status (a proxy's HTML page, plain text): show the text instead.
    }
    if (contentType != null && (contentType.is(X_PROTOBUF) || contentType.is(MediaType.PROTOBUF))) {
      return "";
    }
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return text.isEmpty() ? "" : ": " + (text.length() > MAX_BODY_IN_MESSAGE
        ? text.substring(0, MAX_BODY_IN_MESSAGE) + "..." : text);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "OtlpHttpExporter{" + id + "}";
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }
}
