package dev.kansoku.aws.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kansoku.aws.logs.LogEvent;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter against a real HTTP server that answers like CloudWatch Logs, through the AWS SDK for
 * Java v2 with fake credentials: what PutLogEvents carries, group/stream creation, request limits,
 * retryable versus permanent failures; and the configuration as the seed writes it.
 */
class AwsEmfExporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final long NOW_NANOS = System.currentTimeMillis() * 1_000_000L;

  private FakeCloudWatchLogs cwl;
  private Exporter exporter;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  }

  @BeforeEach
  void startServer() {
    cwl = new FakeCloudWatchLogs();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown();
    }
    cwl.close();
  }

  private AwsEmfExporterConfig config(String extraYaml) throws Exception {
    String yaml = "region: us-west-2\n"
        + "dimension_rollup_option: NoDimensionRollup\n"
        + "endpoint: " + cwl.endpoint() + "\n"
        + "max_retries: 0\n"
        + "log_stream_name: s1\n"
        + "retry_on_failure: {initial_interval: 10ms, max_interval: 20ms, max_elapsed_time: 60s}\n"
        + "sending_queue: {enabled: false}\n"
        + extraYaml;
    return ConfigBinder.bind(YAML.readTree(yaml), new AwsEmfExporterConfig(), "exporters::awsemf");
  }

  private DataConsumer<ExportMetricsServiceRequest> start(AwsEmfExporterConfig config) throws Exception {
    exporter = new AwsEmfExporterFactory().create(config, context());
    exporter.start(null);
    return exporter.consumer(Signal.METRICS);
  }

  private static ComponentContext context() {
    return new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse("awsemf");
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    };
  }

  /** One gauge with {@code n} points that differ in a label, so each becomes its own event. */
  private static ExportMetricsServiceRequest gauges(int n, String padding) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < n; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS + i * 1_000_000L).setAsInt(i)
          .addAttributes(attr("i", Integer.toString(i))).addAttributes(attr("pad", padding)));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "dice-server")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("jvm.memory.used")
            .setUnit("By").setGauge(g)))).build();
  }

  private static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  @Test
  void putLogEvents_carriesTheTranslatedEvents() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    AwsEmfExporterConfig config = config("");
    ExportMetricsServiceRequest request = gauges(3, "x");
    start(config).consume(request);

    List<String> expected = new EmfTranslator(config).translate(request);
    assertThat(cwl.operations()).containsExactly("PutLogEvents");
    FakeCloudWatchLogs.Call put = cwl.puts().get(0);
    assertThat(put.body().get("logGroupName").asText()).isEqualTo("/metrics/dice-server");
    assertThat(put.body().get("logStreamName").asText()).isEqualTo("s1");
    assertThat(put.logsFormat()).isEqualTo("json/emf");
    List<JsonNode> messages = new ArrayList<>();
    for (JsonNode e : put.body().get("logEvents")) {
      messages.add(JSON.readTree(e.get("message").asText()));
      assertThat(e.get("timestamp").asLong()).isEqualTo(messages.get(0).get("_aws").get("Timestamp").asLong()
          + messages.size() - 1);
    }
    List<JsonNode> want = new ArrayList<>();
    for (String s : expected) {
      want.add(JSON.readTree(s));
    }
    assertThat(messages).isEqualTo(want);
    assertThat(messages.get(0).get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText())
        .isEqualTo("dice-server");
  }

  @Test
  void missingGroupAndStream_areCreatedThenThePutSucceeds() throws Exception {
    start(config("log_retention: 30\n")).consume(gauges(1, "x"));

    assertThat(cwl.operations()).containsExactly("PutLogEvents", "CreateLogStream", "CreateLogGroup",
        "PutRetentionPolicy", "CreateLogStream", "PutLogEvents");
    assertThat(cwl.calls().get(3).body().get("retentionInDays").asInt()).isEqualTo(30);
  }

  @Test
  void missingStream_isCreatedInTheExistingGroup() throws Exception {
    cwl.addStream("/metrics/dice-server", "other");
    start(config("")).consume(gauges(1, "x"));

    assertThat(cwl.operations()).containsExactly("PutLogEvents", "CreateLogStream", "PutLogEvents");
  }

  @Test
  void eventCountLimit_splits25000EventsInto10000_10000_5000_inTimestampOrder() {
    // EMF events are too big for 10,000 to fit in 1 MiB, so the count limit is shown with short events.
    List<EmfEvent> events = new ArrayList<>();
    long t0 = System.currentTimeMillis();
    for (int i = 25_000 - 1; i >= 0; i--) {
      events.add(new EmfEvent("g", "s", t0 + i, "{\"i\":" + i + "}"));
    }
    events.add(new EmfEvent("g", "other", t0, "{}"));

    List<AwsEmfExporter.Request> requests = AwsEmfExporter.plan(events, t0);

    assertThat(requests).extracting(r -> r.logStream() + " " + r.events().size())
        .containsExactly("s 10000", "s 10000", "s 5000", "other 1");
    long previous = 0;
    for (AwsEmfExporter.Request r : requests.subList(0, 3)) {
      for (LogEvent e : r.events()) {
        assertThat(e.timestamp()).isGreaterThanOrEqualTo(previous);
        previous = e.timestamp();
      }
    }
  }

  /**
   * Ported from cwlogs pusher_test.go TestValidateLogEventFailed (v0.156.0 pusher.go Event.Validate):
   * an event more than 14 days old or more than 2 hours ahead is discarded, not sent; the bounds
   * themselves are kept (the reference compares with &gt; and &lt;).
   */
  @Test
  void eventsOutsideTheWindow_14DaysBack2HoursAhead_areDroppedNotSent() {
    long now = 1_764_633_600_000L;
    long day = 24 * 3_600_000L;
    List<EmfEvent> events = List.of(
        new EmfEvent("g", "s", now - 30 * day, "{\"month old\":1}"),
        new EmfEvent("g", "s", now - 14 * day, "{\"14 days\":1}"),
        new EmfEvent("g", "s", now - 14 * day - 1, "{\"14 days 1 ms\":1}"),
        new EmfEvent("g", "s", now + 2 * 3_600_000L, "{\"2 hours ahead\":1}"),
        new EmfEvent("g", "s", now + 2 * 3_600_000L + 1, "{\"2 hours 1 ms ahead\":1}"),
        new EmfEvent("g", "s", now, "{\"now\":1}"));

    List<AwsEmfExporter.Request> requests = AwsEmfExporter.plan(events, now);

    // The kept events span more than 24 hours: two requests.
    assertThat(requests).flatExtracting(AwsEmfExporter.Request::events).extracting(LogEvent::message)
        .containsExactly("{\"14 days\":1}", "{\"now\":1}", "{\"2 hours ahead\":1}");
  }

  @Test
  void byteLimit_keepsEachRequestWithin1MiBCounting26BytesPerEvent() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    // Each event is a little over 100 KB: ten fit in 1,048,576 bytes, eleven do not.
    start(config("")).consume(gauges(25, "p".repeat(100_000)));

    assertThat(cwl.puts()).extracting(c -> c.body().get("logEvents").size()).containsExactly(10, 10, 5);
    for (FakeCloudWatchLogs.Call c : cwl.puts()) {
      long bytes = 0;
      for (JsonNode e : c.body().get("logEvents")) {
        bytes += e.get("message").asText().getBytes(StandardCharsets.UTF_8).length + 26;
      }
      assertThat(bytes).isLessThanOrEqualTo(1_048_576);
    }
  }

  @Test
  void eventOver256KiB_isTruncatedAsTheReferenceDoes() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    start(config("")).consume(gauges(1, "p".repeat(300_000)));

    String message = cwl.puts().get(0).body().get("logEvents").get(0).get("message").asText();
    assertThat(message).endsWith("[Truncated...]");
    assertThat(message.getBytes(StandardCharsets.UTF_8).length + 26).isEqualTo(256 * 1024);
  }

  @Test
  void serviceUnavailable_isRetried() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    cwl.failNextPut(503, "ServiceUnavailableException");
    start(config("")).consume(gauges(1, "x"));

    assertThat(cwl.operations()).containsExactly("PutLogEvents", "PutLogEvents");
  }

  @Test
  void throttling_isRetried() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    cwl.failNextPut(400, "ThrottlingException");
    start(config("")).consume(gauges(1, "x"));

    assertThat(cwl.operations()).containsExactly("PutLogEvents", "PutLogEvents");
  }

  @Test
  void retry_resendsOnlyTheRequestThatFailed() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    cwl.failNextPut(0, "pass");
    cwl.failNextPut(503, "ServiceUnavailableException");
    start(config("")).consume(gauges(25, "p".repeat(100_000)));

    List<FakeCloudWatchLogs.Call> puts = cwl.puts();
    assertThat(puts).extracting(c -> c.body().get("logEvents").size()).containsExactly(10, 10, 10, 5);
    assertThat(puts.get(2).body()).isEqualTo(puts.get(1).body());
    assertThat(puts.get(1).body()).isNotEqualTo(puts.get(0).body());
  }

  @Test
  void retryOfTheFirstRequest_doesNotTranslateAgain() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    DataConsumer<ExportMetricsServiceRequest> c = start(config(""));
    c.consume(cumulativeSum(10)); // the first value only seeds the delta: no event
    cwl.failNextPut(503, "ServiceUnavailableException");

    c.consume(cumulativeSum(15));

    // Translating the batch again for the retry would make the delta 15 - 15 = 0.
    List<FakeCloudWatchLogs.Call> puts = cwl.puts();
    assertThat(puts).hasSize(2);
    assertThat(puts.get(1).body()).isEqualTo(puts.get(0).body());
    JsonNode event = JSON.readTree(puts.get(1).body().get("logEvents").get(0).get("message").asText());
    assertThat(event.get("requests").asDouble()).isEqualTo(5);
  }

  private static ExportMetricsServiceRequest cumulativeSum(long value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "dice-server")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("requests")
            .setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(NOW_NANOS - 60_000_000_000L)
                    .setTimeUnixNano(NOW_NANOS + value * 1_000_000L).setAsInt(value))))))
        .build();
  }

  @Test
  void invalidParameter_isPermanentAndNotRetried() throws Exception {
    cwl.addStream("/metrics/dice-server", "s1");
    cwl.failNextPut(400, "InvalidParameterException");
    DataConsumer<ExportMetricsServiceRequest> c = start(config(""));

    assertThatThrownBy(() -> c.consume(gauges(1, "x")))
        .isInstanceOfSatisfying(ConsumeException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.reason()).isEqualTo(ConsumeException.Reason.INVALID);
          assertThat(e.getMessage()).contains("400 InvalidParameterException");
        });
    assertThat(cwl.operations()).containsExactly("PutLogEvents");
  }

  @Test
  void stdout_writesOneEmfJsonPerLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AwsEmfExporterConfig config = config("output_destination: stdout\n");
    exporter = new AwsEmfExporter("awsemf", config, new PrintStream(bytes, true, StandardCharsets.UTF_8),
        System::getenv);
    exporter.start(null);
    exporter.consumer(Signal.METRICS).consume(gauges(2, "x"));

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines[1]).get("jvm.memory.used").asInt()).isEqualTo(1);
    assertThat(cwl.calls()).isEmpty();
  }

  @Test
  void shutdown_withoutStart_isSafe() throws Exception {
    Exporter e = new AwsEmfExporterFactory().create(config(""), context());
    e.shutdown();
    e.shutdown();
  }

  @Test
  void seedYaml_binds() throws Exception {
    JsonNode seed = YAML.readTree("region: 'us-west-2'\ndimension_rollup_option: \"NoDimensionRollup\"\n");
    AwsEmfExporterConfig c = ConfigBinder.bind(seed, new AwsEmfExporterFactory().createDefaultConfig(),
        "exporters::awsemf");

    assertThat(c.region).isEqualTo("us-west-2");
    assertThat(c.dimensionRollupOption).isEqualTo("NoDimensionRollup");
    assertThat(c.logGroupName).isEmpty();
    assertThat(c.outputDestination).isEqualTo("cloudwatch");
    assertThat(c.version).isEqualTo("1");
  }

  @Test
  void unknownKey_suggestsTheNearestOne() throws Exception {
    ObjectNode node = (ObjectNode) YAML.readTree("namesapce: dice\n");

    assertThatThrownBy(() -> ConfigBinder.bind(node, new AwsEmfExporterConfig(), "exporters::awsemf"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("exporters::awsemf: unknown key \"namesapce\", did you mean \"namespace\"?");
  }

  @Test
  void badRollupOption_namesTheChoices() throws Exception {
    ObjectNode node = (ObjectNode) YAML.readTree("dimension_rollup_option: Everything\n");

    assertThatThrownBy(() -> ConfigBinder.bind(node, new AwsEmfExporterConfig(), "exporters::awsemf"))
        .hasMessage("exporters::awsemf: dimension_rollup_option: \"Everything\" (expected: "
            + "ZeroAndSingleDimensionRollup, SingleDimensionRollupOnly or NoDimensionRollup)");
  }

  /** cwlogs utils.go ValidateRetentionValue: v0.156.0's list has no 1096. */
  @Test
  void logRetention1096_isRefusedAsTheReferenceDoes() throws Exception {
    ObjectNode node = (ObjectNode) YAML.readTree("log_retention: 1096\n");

    assertThatThrownBy(() -> ConfigBinder.bind(node, new AwsEmfExporterConfig(), "exporters::awsemf"))
        .hasMessageContaining("log_retention: 1096 (expected: 0 (never expire)");
  }

  /** cwlogs utils.go ValidateTagsInput: characters, lengths in bytes, at most 50 tags. */
  @Test
  void tags_areCheckedAsTheReferenceDoes() throws Exception {
    assertThat(config("tags: {team: observability, \"k8s:app/name\": \"dice = 1\"}\n").tags).hasSize(2);
    for (String bad : List.of("tags: {team: \"a,b\"}\n", "tags: {team: \"\"}\n", "tags: {\"" + "k".repeat(129) + "\": v}\n")) {
      ObjectNode node = (ObjectNode) YAML.readTree(bad);
      assertThatThrownBy(() -> ConfigBinder.bind(node, new AwsEmfExporterConfig(), "exporters::awsemf"))
          .as(bad).hasMessageContaining("exporters::awsemf: tags: ");
    }
    StringBuilder many = new StringBuilder("tags: {");
    for (int i = 0; i < 51; i++) {
      many.append(i == 0 ? "" : ", ").append("k").append(i).append(": v");
    }
    ObjectNode node = (ObjectNode) YAML.readTree(many.append("}\n").toString());
    assertThatThrownBy(() -> ConfigBinder.bind(node, new AwsEmfExporterConfig(), "exporters::awsemf"))
        .hasMessage("exporters::awsemf: tags: 51 tags (at most 50)");
  }

  /** metric_declaration.go: a label matcher regex that does not compile drops the declaration, startup goes on. */
  @Test
  void labelMatcherRegexThatDoesNotCompile_isNotAConfigurationError() throws Exception {
    AwsEmfExporterConfig c = config("metric_declarations:\n"
        + "  - metric_name_selectors: [jvm]\n"
        + "    label_matchers: [{label_names: [pool], regex: \"(\"}]\n");

    assertThat(c.metricDeclarations).hasSize(1);
  }

  @Test
  void metricDeclarations_bindFromYaml() throws Exception {
    AwsEmfExporterConfig c = config("metric_declarations:\n"
        + "  - dimensions: [[service.name, pool]]\n"
        + "    metric_name_selectors: ['^jvm\\.memory\\.']\n"
        + "    label_matchers: [{label_names: [pool], regex: Eden}]\n"
        + "metric_descriptors: [{metric_name: jvm.memory.used, unit: Megabytes, overwrite: true}]\n");

    assertThat(c.metricDeclarations.get(0).dimensions).containsExactly(List.of("service.name", "pool"));
    assertThat(c.metricDeclarations.get(0).labelMatchers.get(0).regex).isEqualTo("Eden");
    assertThat(c.metricDescriptors.get(0).unit).isEqualTo("Megabytes");
  }
}
