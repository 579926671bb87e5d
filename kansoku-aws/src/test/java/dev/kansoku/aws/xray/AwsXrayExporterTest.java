package dev.kansoku.aws.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exporter against a real HTTP server speaking X-Ray's PutTraceSegments, through the AWS SDK. */
class AwsXrayExporterTest {
  static final Host HOST = new Host() {
    @Override
    public <E> Optional<E> extension(dev.kansoku.pipeline.ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static XrayTestServer server;
  AwsXrayExporter exporter;

  @BeforeAll
  static void start() {
    // Fake credentials for SigV4 signing; the default chain reads these system properties first.
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    server = new XrayTestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.shutdown();
    }
    server.reset();
  }

  AwsXrayExporterConfig config() {
    AwsXrayExporterConfig c = new AwsXrayExporterConfig();
    c.region = "us-west-2";
    c.endpoint = "http://127.0.0.1:" + server.port();
    c.maxRetries = 0; // retries observed here are the exporter's, not the SDK's
    c.requestTimeoutSeconds = 5;
    c.sendingQueue.enabled = false;
    c.retryOnFailure.initialInterval = Duration.ofMillis(5);
    c.retryOnFailure.maxInterval = Duration.ofMillis(20);
    // Generous: the first SDK call of a JVM is slow on a loaded machine, and counts against this.
    c.retryOnFailure.maxElapsedTime = Duration.ofSeconds(60);
    return c;
  }

  AwsXrayExporter start(AwsXrayExporterConfig c) throws Exception {
    c.validate();
    exporter = new AwsXrayExporter("awsxray", c, name -> null);
    exporter.start(HOST);
    return exporter;
  }

  static ExportTraceServiceRequest spans(int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder()
          .setTraceId(ByteString.fromHex("6568f7a0f1e2d3c4b5a69788c7d6e5f4"))
          .setSpanId(ByteString.fromHex(String.format("e3c1b2a4d5f6%04x", i)))
          .setName("GET /rolldice").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(1_701_377_952_123_456_789L).setEndTimeUnixNano(1_701_377_952_127_789_012L)
          .addAttributes(kv("http.route", "/rolldice")));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "dice-server"))).addScopeSpans(ss)).build();
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  @Test
  void documents_arriveSignedAsPutTraceSegments_andParseBackToTheTranslation() throws Exception {
    start(config());

    exporter.consumer(Signal.TRACES).consume(spans(3));

    assertThat(server.requests).hasSize(1);
    XrayTestServer.Recorded r = server.requests.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/TraceSegments");
    assertThat(r.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/us-west-2/xray/aws4_request");
    assertThat(r.headers().get("content-type")).startsWith("application/json");
    List<JsonNode> sent = new ArrayList<>();
    for (String d : r.documents()) {
      sent.add(JSON.readTree(d));
    }
    List<JsonNode> expected = new ArrayList<>();
    for (String d : XraySegments.translate(spans(3), XrayOptions.DEFAULT)) {
      expected.add(JSON.readTree(d));
    }
    assertThat(sent).isEqualTo(expected);
    assertThat(sent.get(0).get("name").asText()).isEqualTo("dice-server");
    assertThat(sent.get(0).get("trace_id").asText()).isEqualTo("1-6568f7a0-f1e2d3c4b5a69788c7d6e5f4");
  }

  @Test
  void spans120_sentInCallsOf50_50_20() throws Exception {
    start(config());

    exporter.consumer(Signal.TRACES).consume(spans(120));

    assertThat(server.requests).extracting(r -> r.documents().size()).containsExactly(50, 50, 20);
    assertThat(exporter.documentsSent()).isEqualTo(120);
  }

  @Test
  void serviceUnavailable_retried() throws Exception {
    server.failNext(2, 503, "ServiceUnavailableException");
    start(config());

    exporter.consumer(Signal.TRACES).consume(spans(1));

    assertThat(server.requests).hasSize(3);
    assertThat(exporter.documentsSent()).isEqualTo(1);
  }

  @Test
  void throttling_retried() throws Exception {
    server.failNext(1, 429, "ThrottledException");
    start(config());

    exporter.consumer(Signal.TRACES).consume(spans(1));

    assertThat(server.requests).hasSize(2);
  }

  @Test
  void badRequest_notRetried() throws Exception {
    server.failNext(5, 400, "InvalidRequestException");
    start(config());

    assertThatThrownBy(() -> exporter.consumer(Signal.TRACES).consume(spans(1)))
        .isInstanceOf(ConsumeException.class)
        .hasMessageStartingWith("exporter awsxray: X-Ray answered 400 InvalidRequestException: scripted InvalidRequestException")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isFalse());
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void unprocessedSegments_resentThenReported() throws Exception {
    // The first span's segment is never processed; the second is refused once.
    String stubborn = "e3c1b2a4d5f60000";
    String once = "e3c1b2a4d5f60001";
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    server.unprocessed = ids -> {
      int call = calls.incrementAndGet();
      List<String> out = new ArrayList<>();
      if (ids.contains(stubborn)) {
        out.add(stubborn);
      }
      if (call == 1 && ids.contains(once)) {
        out.add(once);
      }
      return out;
    };
    start(config());

    exporter.consumer(Signal.TRACES).consume(spans(3));

    assertThat(server.requests).extracting(r -> r.documents().size())
        .containsExactly(3, 2, 1); // all; then the two unprocessed; then the stubborn one
    assertThat(exporter.documentsSent()).isEqualTo(2);
    assertThat(exporter.unprocessedSegments()).isEqualTo(1);
  }

  @Test
  void documentOver64KiB_droppedOthersSent() throws Exception {
    start(config());
    ExportTraceServiceRequest req = spans(2);
    Span big = req.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
        .addAttributes(kv("big", "x".repeat(70_000))).build();
    req = req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder()
        .setScopeSpans(0, req.getResourceSpans(0).getScopeSpans(0).toBuilder().setSpans(0, big))).build();

    exporter.consumer(Signal.TRACES).consume(req);

    assertThat(server.requests).hasSize(1);
    assertThat(server.requests.get(0).documents()).hasSize(1);
    assertThat(exporter.oversizeDropped()).isEqualTo(1);
  }

  @Test
  void seedYaml_binds() throws Exception {
    JsonNode node = YAML.readTree("exporters:\n  awsxray:\n    region: us-west-2\n").path("exporters").path("awsxray");

    AwsXrayExporterConfig c = ConfigBinder.bind(node, new AwsXrayExporterFactory().createDefaultConfig(),
        "exporters::awsxray");

    assertThat(c.region).isEqualTo("us-west-2");
    assertThat(c.indexedAttributes).isEmpty();
    assertThat(c.numWorkers()).isEqualTo(8);
  }

  @Test
  void allKeys_bind() throws Exception {
    JsonNode node = YAML.readTree("""
        region: us-west-2
        local_mode: true
        resource_arn: arn:aws:ecs:us-west-2:123456789012:task/x
        aws_log_groups: [/ecs/dice-server]
        indexed_attributes: [http.route]
        index_all_attributes: false
        telemetry: {enabled: true}
        num_workers: 4
        """);

    AwsXrayExporterConfig c = ConfigBinder.bind(node, new AwsXrayExporterConfig(), "exporters::awsxray");

    assertThat(c.awsLogGroups).containsExactly("/ecs/dice-server");
    assertThat(c.indexedAttributes).containsExactly("http.route");
    assertThat(c.telemetry.enabled).isTrue();
    assertThat(c.sendingQueue.numConsumers).isEqualTo(4);
  }

  @Test
  void misspelledKey_suggestsTheKey() throws Exception {
    JsonNode node = YAML.readTree("regoin: us-west-2\n");

    assertThatThrownBy(() -> ConfigBinder.bind(node, new AwsXrayExporterConfig(), "exporters::awsxray"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("exporters::awsxray: unknown key \"regoin\", did you mean \"region\"?");
  }

  @Test
  void factory_tracesOnly_shutdownWithoutStart() {
    AwsXrayExporterFactory f = new AwsXrayExporterFactory();
    assertThat(f.type()).isEqualTo("awsxray");
    assertThat(f.signals()).containsExactly(Signal.TRACES);
    AwsXrayExporterConfig c = f.createDefaultConfig();
    c.validate();
    new AwsXrayExporter("awsxray", c, Map.<String, String>of()::get).shutdown();
  }
}
