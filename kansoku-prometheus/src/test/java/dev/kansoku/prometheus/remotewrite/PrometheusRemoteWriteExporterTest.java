package dev.kansoku.prometheus.remotewrite;

import static dev.kansoku.prometheus.remotewrite.Otlp.CUMULATIVE;
import static dev.kansoku.prometheus.remotewrite.Otlp.attrs;
import static dev.kansoku.prometheus.remotewrite.Otlp.point;
import static dev.kansoku.prometheus.remotewrite.Otlp.request;
import static dev.kansoku.prometheus.remotewrite.Otlp.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import dev.kansoku.aws.sigv4.SigV4AuthExtensionFactory;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** The exporter against a stand-in remote write endpoint that records requests and answers as told. */
class PrometheusRemoteWriteExporterTest {
  private static final long T = 1_700_000_000_000_000_000L;
  private static final ExportMetricsServiceRequest COUNTER = request(attrs("service.name", "api"),
      sum("jobs.done", "", true, CUMULATIVE, point(T, 3, "queue", "q1")));

  private record Received(RequestHeaders headers, byte[] body) {}

  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final Queue<HttpStatus> answers = new ConcurrentLinkedQueue<>();
  private Server server;
  private Exporter exporter;

  private String start() {
    server = Server.builder().localPort(0, com.linecorp.armeria.common.SessionProtocol.HTTP)
        .service("/api/v1/write", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(r -> {
          received.add(new Received(r.headers(), r.content().array()));
          HttpStatus status = answers.poll();
          return HttpResponse.of(status == null ? HttpStatus.NO_CONTENT : status);
        })))
        .build();
    server.start().join();
    return "http://127.0.0.1:" + server.activeLocalPort() + "/api/v1/write";
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown();
    }
    if (server != null) {
      server.stop().join();
    }
  }

  static <C> C bind(String yaml, C defaults, String path) throws Exception {
    return ConfigBinder.bind(new ObjectMapper(new YAMLFactory()).readTree(yaml), defaults, path);
  }

  private static ComponentContext context(String id) {
    return new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse(id);
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    };
  }

  private DataConsumer<ExportMetricsServiceRequest> exporter(String yaml, Host host) throws Exception {
    var factory = new PrometheusRemoteWriteExporterFactory();
    exporter = factory.create(bind(yaml, factory.createDefaultConfig(), "exporters::prometheusremotewrite"),
        context("prometheusremotewrite"));
    exporter.start(host);
    return exporter.consumer(Signal.METRICS);
  }

  private static final Host NO_EXTENSIONS = new Host() {
    @Override
    public <E> Optional<E> extension(ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };

  @Test
  void bodyIsSnappyProtobufWriteRequest_withTheProtocolHeaders() throws Exception {
    String url = start();
    exporter("""
        endpoint: %s
        remote_write_queue: {enabled: false}
        headers: {X-Scope-OrgID: tenant-1}
        external_labels: {cluster: c1}
        """.formatted(url), NO_EXTENSIONS).consume(COUNTER);
    Received r = received.poll();
    assertThat(r).isNotNull();
    assertThat(r.headers().get("content-encoding")).isEqualTo("snappy");
    assertThat(r.headers().get("content-type")).isEqualTo("application/x-protobuf");
    assertThat(r.headers().get("x-prometheus-remote-write-version")).isEqualTo("0.1.0");
    assertThat(r.headers().get("user-agent")).isEqualTo(PrometheusRemoteWriteExporter.USER_AGENT);
    assertThat(r.headers().get("x-scope-orgid")).isEqualTo("tenant-1");
    assertThat(WriteRequests.lines(Snappy.uncompress(r.body()))).containsExactly(
        "jobs_done_total{cluster=\"c1\",job=\"api\",otel_scope_name=\"shop.meter\",otel_scope_version=\"1.2\","
            + "queue=\"q1\"} 3 @1700000000000");
  }

  @Test
  void serverError_retriedOnce_thenDelivered() throws Exception {
    String url = start();
    answers.add(HttpStatus.INTERNAL_SERVER_ERROR);
    answers.add(HttpStatus.OK);
    exporter("endpoint: " + url + "\nremote_write_queue: {enabled: false}\n", NO_EXTENSIONS).consume(COUNTER);
    assertThat(received).hasSize(2);
    assertThat(received.stream().map(r -> r.body().length).distinct()).hasSize(1);
  }

  @Test
  void badRequest_droppedNotRetried() throws Exception {
    String url = start();
    answers.add(HttpStatus.BAD_REQUEST);
    var consumer = exporter("endpoint: " + url + "\nremote_write_queue: {enabled: false}\n", NO_EXTENSIONS);
    assertThatThrownBy(() -> consumer.consume(COUNTER)).isInstanceOf(ConsumeException.class)
        .hasMessageContaining("answered HTTP 400")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isFalse());
    Thread.sleep(300); // a retry would come after 50 ms
    assertThat(received).hasSize(1);
  }

  @Test
  void splitBatch_onlyTheFailedRequestIsSentAgain() throws Exception {
    String url = start();
    AtomicInteger n = new AtomicInteger();
    answers.add(HttpStatus.OK);
    answers.add(HttpStatus.SERVICE_UNAVAILABLE);
    answers.add(HttpStatus.OK);
    var many = request(attrs(), sum("a", "", true, CUMULATIVE, point(T, 1)), sum("b", "", true, CUMULATIVE,
        point(T, 2)));
    exporter("endpoint: " + url + "\nmax_batch_size_bytes: 40\nmax_batch_request_parallelism: 1\n"
        + "remote_write_queue: {enabled: false}\n", NO_EXTENSIONS).consume(many);
    List<String> sent = received.stream().map(r -> {
      n.incrementAndGet();
      try {
        return String.join("|", WriteRequests.lines(Snappy.uncompress(r.body())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    assertThat(sent).containsExactly(
        "a_total{otel_scope_name=\"shop.meter\",otel_scope_version=\"1.2\"} 1 @1700000000000",
        "b_total{otel_scope_name=\"shop.meter\",otel_scope_version=\"1.2\"} 2 @1700000000000",
        "b_total{otel_scope_name=\"shop.meter\",otel_scope_version=\"1.2\"} 2 @1700000000000");
  }

  @Test
  void sigv4auth_signsForServiceAps() throws Exception {
    String url = start();
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    try {
      @SuppressWarnings({"rawtypes", "unchecked"})
      ExtensionFactory<Object> sigv4 = (ExtensionFactory) new SigV4AuthExtensionFactory();
      // The stand-in is on 127.0.0.1, so the service cannot come from an aps-workspaces host here
      // (kansoku-aws's SigV4AuthTest checks that inference); the signature is what this test checks.
      Extension ext = sigv4.create(bind("{region: us-west-2, service: aps}", sigv4.createDefaultConfig(),
          "extensions::sigv4auth"), context("sigv4auth"));
      ext.start(NO_EXTENSIONS);
      Host host = new Host() {
        @Override
        public <E> Optional<E> extension(ComponentId id, Class<E> type) {
          return id.toString().equals("sigv4auth") && type.isInstance(ext) ? Optional.of(type.cast(ext))
              : Optional.empty();
        }
      };
      exporter("endpoint: " + url + "\nauth: {authenticator: sigv4auth}\nremote_write_queue: {enabled: false}\n",
          host).consume(COUNTER);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    Received r = received.poll();
    assertThat(r.headers().get("authorization")).matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-west-2/aps/"
        + "aws4_request, SignedHeaders=.*content-encoding.*, Signature=[0-9a-f]{64}");
    assertThat(r.headers().get("x-amz-content-sha256")).hasSize(64);
  }

  @Test
  void unknownAuthenticator_failsStart() throws Exception {
    var factory = new PrometheusRemoteWriteExporterFactory();
    exporter = factory.create(bind("endpoint: http://127.0.0.1:1/w\nauth: {authenticator: sigv4auth}\n",
        factory.createDefaultConfig(), "exporters::prometheusremotewrite"), context("prometheusremotewrite"));
    assertThatThrownBy(() -> exporter.start(NO_EXTENSIONS))
        .hasMessageStartingWith("auth::authenticator: extension \"sigv4auth\" is not configured");
  }
}
