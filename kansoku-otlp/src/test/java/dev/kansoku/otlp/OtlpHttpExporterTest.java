package dev.kansoku.otlp;

import static dev.kansoku.otlp.OtlpGrpcExporterTest.HOST;
import static dev.kansoku.otlp.OtlpGrpcExporterTest.logs;
import static dev.kansoku.otlp.OtlpGrpcExporterTest.metrics;
import static dev.kansoku.otlp.OtlpGrpcExporterTest.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Signal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OtlpHttpExporterTest {
  static ExporterTestServer server;
  OtlpHttpExporter exporter;

  @BeforeAll
  static void startServer() {
    server = new ExporterTestServer();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.shutdown();
    }
    server.reset();
  }

  /** Plain HTTP to the test server, fast retries, sends on the caller's thread unless a test queues. */
  OtlpHttpExporterConfig config() {
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.endpoint = "http://127.0.0.1:" + server.port();
    c.timeout = Duration.ofSeconds(2);
    c.retryOnFailure.initialInterval = Duration.ofMillis(5);
    c.retryOnFailure.maxInterval = Duration.ofMillis(20);
    c.retryOnFailure.maxElapsedTime = Duration.ofSeconds(1);
    c.sendingQueue.enabled = false;
    return c;
  }

  OtlpHttpExporter start(OtlpHttpExporterConfig c) throws Exception {
    c.validate();
    exporter = new OtlpHttpExporter("otlphttp/test", c);
    exporter.start(HOST);
    return exporter;
  }

  @Test
  void allSignals_arriveIntact_withHeadersAuthAndGzip() throws Exception {
    OtlpHttpExporterConfig c = config();
    c.headers.put("x-tenant", "acme");
    c.auth.authenticator = "bearertokenauth";
    start(c);

    exporter.consumer(Signal.TRACES).consume(traces(3));
    exporter.consumer(Signal.METRICS).consume(metrics());
    exporter.consumer(Signal.LOGS).consume(logs());

    assertThat(server.received).containsExactly(traces(3), metrics(), logs());
    assertThat(server.headers).extracting(h -> h.path()).containsExactly("/v1/traces", "/v1/metrics", "/v1/logs");
    assertThat(server.headers).allSatisfy(h -> {
      assertThat(h.get("x-tenant")).isEqualTo("acme");
      assertThat(h.get("authorization")).isEqualTo("Bearer s3cret");
      assertThat(h.get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("gzip");
      assertThat(h.get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/x-protobuf");
    });
  }

  @Test
  void jsonEncoding_uncompressed() throws Exception {
    OtlpHttpExporterConfig c = config();
    c.encoding = "json";
    c.compression = "none";
    start(c);

    exporter.consumer(Signal.TRACES).consume(traces(2));

    // OTLP/JSON writes empty scope and status objects, which read back as present-but-empty.
    assertThat(server.received).containsExactly(OtlpJson.parse(Signal.TRACES, OtlpJson.write(traces(2))));
    assertThat(OtlpJson.write((com.google.protobuf.Message) server.received.get(0)))
        .isEqualTo(OtlpJson.write(traces(2)));
    assertThat(server.headers.get(0).get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
    assertThat(server.headers.get(0).get(HttpHeaderNames.CONTENT_ENCODING)).isNull();
  }

  @Test
  void signalEndpoint_overridesBase() throws Exception {
    OtlpHttpExporterConfig c = config();
    c.endpoint = "";
    c.logsEndpoint = "http://127.0.0.1:" + server.port() + "/v1/logs";
    start(c);

    exporter.consumer(Signal.LOGS).consume(logs());

    assertThat(server.received).containsExactly(logs());
    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES))
        .hasMessage("exporter otlphttp/test has no URL for traces (expected: endpoint or traces_endpoint)");
  }

  @Test
  void serviceUnavailable_retriedThenSuccess() throws Exception {
    server.failNextHttp(2, 503, "0", "busy");
    start(config());

    exporter.consumer(Signal.TRACES).consume(traces(2));

    assertThat(server.attempts).hasValue(3);
    assertThat(server.received).containsExactly(traces(2));
  }

  @Test
  void badRequest_notRetried_messageFromStatusBody() throws Exception {
    server.failNextHttp(5, 400, null, "span name missing");
    start(config());

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1)))
        .isInstanceOf(ConsumeException.class)
        .hasMessage("exporter otlphttp/test: http://127.0.0.1:" + server.port()
            + "/v1/traces answered HTTP 400: span name missing")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isFalse());
    assertThat(server.attempts).hasValue(1);
  }

  @Test
  void queue_drainsOnShutdown() throws Exception {
    OtlpHttpExporterConfig c = config();
    c.sendingQueue.enabled = true;
    c.sendingQueue.numConsumers = 2;
    server.failNextHttp(3, 502, null, "bad gateway");
    start(c);
    for (int i = 1; i <= 5; i++) {
      exporter.consumer(Signal.TRACES).consume(traces(i));
    }

    exporter.shutdown();

    assertThat(server.received).containsExactlyInAnyOrder(traces(1), traces(2), traces(3), traces(4), traces(5));
  }

  @Test
  void connectionRefused_isRetryable() throws Exception {
    OtlpHttpExporterConfig c = config();
    c.retryOnFailure.enabled = false;
    int port = ExporterTestServer.closedPort();
    c.endpoint = "http://127.0.0.1:" + port;
    start(c);

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(traces(1)))
        .isInstanceOf(ConsumeException.class)
        .hasMessageStartingWith("exporter otlphttp/test: cannot reach http://127.0.0.1:" + port + "/v1/traces: ")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isTrue());
  }

  @Test
  void shutdown_withoutStart() {
    exporter = new OtlpHttpExporter("otlphttp/test", config());
    exporter.shutdown();
    exporter.shutdown();
  }

  static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void statusMapping() {
    check(429, true, null);
    check(502, true, null);
    check(503, true, null);
    check(504, true, null);
    check(400, false, null);
    check(401, false, null);
    check(403, false, null);
    check(404, false, null);
    check(413, false, null);
    check(500, false, null);
    check(503, true, "7");
    check(429, true, "Thu, 01 Jan 2026 00:00:30 GMT");
  }

  private static void check(int status, boolean retryable, String retryAfter) {
    ResponseHeaders h = retryAfter == null ? ResponseHeaders.of(HttpStatus.valueOf(status))
        : ResponseHeaders.of(HttpStatus.valueOf(status), HttpHeaderNames.RETRY_AFTER, retryAfter);
    ConsumeException e = OtlpHttpExporter.toConsumeException("otlphttp", URI.create("http://h/v1/traces"), status, h,
        MediaType.PLAIN_TEXT_UTF_8, "no\n  thanks".getBytes(StandardCharsets.UTF_8), NOW);
    assertThat(e.retryable()).as("HTTP " + status).isEqualTo(retryable);
    assertThat(e.getMessage()).isEqualTo("exporter otlphttp: http://h/v1/traces answered HTTP " + status + ": no thanks");
    if (retryAfter != null) {
      assertThat(e.retryAfter()).as("Retry-After " + retryAfter)
          .contains(retryAfter.equals("7") ? Duration.ofSeconds(7) : Duration.ofSeconds(30));
    }
  }

  @Test
  void retryAfter_unreadable_ignored() {
    assertThat(OtlpHttpExporter.retryAfter("soon", NOW)).isNull();
    assertThat(OtlpHttpExporter.retryAfter(null, NOW)).isNull();
    assertThat(OtlpHttpExporter.retryAfter("Wed, 31 Dec 2025 00:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }
}
