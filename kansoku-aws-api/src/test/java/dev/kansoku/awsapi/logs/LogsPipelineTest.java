package dev.kansoku.awsapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.otlp.FileExporterFactory;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.testing.TestComponents;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;

/**
 * PutLogEvents enters the pipeline as OTLP logs, as OTLP does: every exporter of the logs pipeline
 * gets the events (here the file exporter beside kansoku), the metrics of EMF events go to the
 * metrics pipeline, the memory_limiter's refusal is CloudWatch Logs' ThrottlingException, and
 * without a logs pipeline PutLogEvents says how to add one.
 */
class LogsPipelineTest {
  private static final String GROUP = "/ecs/dice";
  private static final String STREAM = "dice/dice-server/task-1";
  private static final String LIMITER = "processors: {memory_limiter: {check_interval: 1h, limit_mib: 2, "
      + "spike_limit_mib: 1}}\n";

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Service service;
  private int port;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    service.shutdown();
  }

  private void start(String components, String pipelines) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    service = TestKansoku.start(TestKansoku.registry(new TestComponents(), new FileExporterFactory()), """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        receivers: {kansoku: }
        """.formatted(port) + components + """
        service:
          extensions: [kansoku]
          pipelines:
        """ + pipelines);
  }

  private CloudWatchLogsClient logs(ExecutionInterceptor... interceptors) {
    CloudWatchLogsClient c = CloudWatchLogsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .overrideConfiguration(o -> {
          for (ExecutionInterceptor i : interceptors) {
            o.addExecutionInterceptor(i);
          }
        }).build();
    closing.add(c);
    return c;
  }

  private static InputLogEvent ev(long ts, String message) {
    return InputLogEvent.builder().timestamp(ts).message(message).build();
  }

  private static String emf(long ts, int rolls) {
    return "{\"_aws\":{\"Timestamp\":" + ts + ",\"CloudWatchMetrics\":[{\"Namespace\":\"dice-server\","
        + "\"Dimensions\":[[\"Service\"]],\"Metrics\":[{\"Name\":\"rolls\",\"Unit\":\"Count\"}]}]},"
        + "\"Service\":\"dice\",\"rolls\":" + rolls + "}";
  }

  @Test
  void putLogEvents_reachesEveryExporter_andReadsBackAsBefore() throws Exception {
    start("""
        exporters:
          kansoku:
          file/logs: {path: "%s", format: proto}
          file/metrics: {path: "%s", format: proto}
        """.formatted(dir.resolve("logs.pb"), dir.resolve("metrics.pb")), """
            logs: {receivers: [kansoku], exporters: [kansoku, file/logs]}
            metrics: {receivers: [kansoku], exporters: [kansoku, file/metrics]}
        """);
    CloudWatchLogsClient logs = logs();
    logs.createLogGroup(b -> b.logGroupName(GROUP));
    logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM));
    long now = System.currentTimeMillis();
    PutLogEventsResponse put = logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM).logEvents(
        ev(now - 2000, "GET /rolldice 200"), ev(now - 1000, emf(now - 1000, 4)), ev(now + 3 * 3_600_000, "future")));
    long after = System.currentTimeMillis();
    assertThat(put.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(2);
    assertThat(put.nextSequenceToken()).endsWith("1");

    List<OutputLogEvent> events = logs.getLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM)
        .startFromHead(true)).events();
    assertThat(events).extracting(OutputLogEvent::message).containsExactly("GET /rolldice 200", emf(now - 1000, 4));
    assertThat(events).extracting(OutputLogEvent::timestamp).containsExactly(now - 2000, now - 1000);
    long ingested = events.get(0).ingestionTime();
    assertThat(ingested).isBetween(now, after);
    assertThat(events).extracting(OutputLogEvent::ingestionTime).containsOnly(ingested);
    assertThat(logs.filterLogEvents(b -> b.logGroupName(GROUP).filterPattern("rolldice")).events())
        .extracting(FilteredLogEvent::logStreamName, FilteredLogEvent::message, FilteredLogEvent::ingestionTime)
        .containsExactly(tuple(STREAM, "GET /rolldice 200", ingested));
    assertThat(logs.describeLogStreams(b -> b.logGroupName(GROUP)).logStreams()).singleElement()
        .satisfies(s -> {
          assertThat(s.firstEventTimestamp()).isEqualTo(now - 2000);
          assertThat(s.lastEventTimestamp()).isEqualTo(now - 1000);
          assertThat(s.lastIngestionTime()).isEqualTo(ingested);
        });

    // The EMF event's metric went to the metrics pipeline, and from its kansoku exporter into the store.
    try (CloudWatchClient cw = CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build()) {
      List<Datapoint> points = cw.getMetricStatistics(b -> b.namespace("dice-server").metricName("rolls")
          .dimensions(Dimension.builder().name("Service").value("dice").build())
          .startTime(Instant.ofEpochMilli(now - 60_000)).endTime(Instant.ofEpochMilli(now + 60_000)).period(3600)
          .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT)).datapoints();
      assertThat(points).singleElement().satisfies(d -> {
        assertThat(d.sum()).isEqualTo(4.0);
        assertThat(d.sampleCount()).isEqualTo(1.0);
        assertThat(d.unitAsString()).isEqualTo("Count");
      });
    }

    service.shutdown(); // flushes the file exporters
    List<ExportLogsServiceRequest> written = TestKansoku.fileExporterOutput(dir.resolve("logs.pb"),
        ExportLogsServiceRequest.parser());
    assertThat(written).singleElement().satisfies(r -> {
      assertThat(r.getResourceLogs(0).getResource().getAttributesList())
          .extracting(KeyValue::getKey, kv -> kv.getValue().getArrayValue().getValues(0).getStringValue())
          .containsExactly(tuple("aws.log.group.names", GROUP),
              tuple("aws.log.stream.names", STREAM));
      List<LogRecord> records = r.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
      assertThat(records).extracting(l -> l.getBody().getStringValue())
          .containsExactly("GET /rolldice 200", emf(now - 1000, 4));
      assertThat(records).extracting(LogRecord::getTimeUnixNano)
          .containsExactly((now - 2000) * 1_000_000L, (now - 1000) * 1_000_000L);
      assertThat(records).extracting(l -> l.getObservedTimeUnixNano() / 1_000_000L).containsOnly(ingested);
    });
    List<ExportMetricsServiceRequest> metrics = TestKansoku.fileExporterOutput(dir.resolve("metrics.pb"),
        ExportMetricsServiceRequest.parser());
    assertThat(metrics).singleElement().satisfies(r -> {
      assertThat(r.getResourceMetrics(0).getResource().getAttributes(0).getValue().getStringValue())
          .isEqualTo("dice-server");
      Metric m = r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
      assertThat(m.getName()).isEqualTo("rolls");
      assertThat(m.getUnit()).isEqualTo("Count");
      assertThat(m.getGauge().getDataPoints(0).getAsDouble()).isEqualTo(4.0);
    });
  }

  @Test
  void memoryLimiterRefusal_isThrottlingException_beforeTheBodyIsRead() throws Exception {
    start(LIMITER + "exporters: {kansoku: }\n", """
            logs: {receivers: [kansoku], processors: [memory_limiter], exporters: [kansoku]}
        """);
    AtomicInteger attempts = new AtomicInteger();
    CloudWatchLogsClient logs = logs(new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
      }
    });
    logs.createLogGroup(b -> b.logGroupName(GROUP)); // only writes are admitted by the memory_limiter
    logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM));
    attempts.set(0);
    long now = System.currentTimeMillis();
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM)
        .logEvents(ev(now, "refused"))))
        .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.isThrottlingException()).isTrue();
          assertThat(e.awsErrorDetails().errorMessage()).startsWith("memory_limiter memory_limiter: data refused");
        });
    assertThat(attempts.get()).as("the SDK retries a throttled put").isGreaterThan(1);

    // Not JSON at all: read, it would be a SerializationException; refused first, it is throttled.
    AggregatedHttpResponse raw = WebClient.of("http://127.0.0.1:" + port).blocking().execute(
        RequestHeaders.builder(HttpMethod.POST, "/").contentType(MediaType.parse("application/x-amz-json-1.1"))
            .add("x-amz-target", "Logs_20140328.PutLogEvents").build(), "{not json");
    assertThat(raw.status().code()).isEqualTo(400);
    assertThat(raw.headers().get("x-amzn-errortype")).isEqualTo("ThrottlingException");
    assertThat(logs.getLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM)).events()).isEmpty();
  }

  @Test
  void emfMetricsRefused_stillAcceptsTheLogEvents() throws Exception {
    start(LIMITER + "exporters: {kansoku: }\n", """
            logs: {receivers: [kansoku], exporters: [kansoku]}
            metrics: {receivers: [kansoku], processors: [memory_limiter], exporters: [kansoku]}
        """);
    CloudWatchLogsClient logs = logs();
    logs.createLogGroup(b -> b.logGroupName(GROUP));
    logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM));
    long now = System.currentTimeMillis();
    logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM).logEvents(ev(now, emf(now, 6))));
    assertThat(logs.getLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM)).events())
        .extracting(OutputLogEvent::message).containsExactly(emf(now, 6));
  }

  @Test
  void withoutALogsPipeline_putLogEventsIsServiceUnavailable_namingTheFix() throws Exception {
    start("exporters: {kansoku: }\n", """
            metrics: {receivers: [kansoku], exporters: [kansoku]}
        """);
    CloudWatchLogsClient logs = CloudWatchLogsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    closing.add(logs);
    logs.createLogGroup(b -> b.logGroupName(GROUP));
    logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM));
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM)
        .logEvents(ev(System.currentTimeMillis(), "nowhere to go"))))
        .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(500);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("PutLogEvents delivers to a logs pipeline that"
              + " receives from the kansoku receiver, and receiver \"kansoku\" is in no logs pipeline: add the kansoku"
              + " receiver to a logs pipeline (receivers: {kansoku: } and service::pipelines::logs::receivers:"
              + " [kansoku])");
        });
  }
}
