package dev.kansoku.awsapi.metrics;

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
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * PutMetricData enters the pipeline as OTLP metrics in all three protocols: every exporter of the
 * metrics pipeline gets the datums (here the file exporter beside kansoku) and the statistics read
 * back as put; the memory_limiter's refusal is each protocol's throttling error; without a metrics
 * pipeline the answer says how to add one.
 */
class MetricsPipelineTest {
  private static final String LIMITER = "processors: {memory_limiter: {check_interval: 1h, limit_mib: 2, "
      + "spike_limit_mib: 1}}\n";
  private static final String REFUSED = "memory_limiter memory_limiter: data refused";

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
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

  /** The Java SDK, which speaks smithy-rpc-v2-cbor; retries left to {@code retry}. */
  private CloudWatchClient sdk(boolean retry) {
    CloudWatchClient c = CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .overrideConfiguration(o -> {
          if (!retry) {
            o.retryStrategy(AwsRetryStrategy.doNotRetry());
          }
        }).build();
    closing.add(c);
    return c;
  }

  /** botocore's awsJson1_0, as the pip CLI sends it. */
  private AggregatedHttpResponse json10(String body) {
    return WebClient.of("http://127.0.0.1:" + port).blocking().execute(RequestHeaders.builder(HttpMethod.POST, "/")
        .contentType(MediaType.parse("application/x-amz-json-1.0"))
        .add("x-amz-target", "GraniteServiceVersion20100801.PutMetricData").add("x-amzn-query-mode", "true").build(),
        body);
  }

  /** awsQuery, as Debian's CLI sends it. */
  private AggregatedHttpResponse query(String form) {
    return WebClient.of("http://127.0.0.1:" + port).blocking().execute(RequestHeaders.builder(HttpMethod.POST, "/")
        .contentType(MediaType.FORM_DATA).build(), form);
  }

  private List<Datapoint> stats(CloudWatchClient cw, String name) {
    return cw.getMetricStatistics(b -> b.namespace("Apm/Test").metricName(name)
        .dimensions(Dimension.builder().name("Service").value("dice").build())
        .startTime(t0.minusSeconds(60)).endTime(t0.plusSeconds(600)).period(3600)
        .statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.MINIMUM, Statistic.MAXIMUM)).datapoints();
  }

  @Test
  void putMetricData_reachesEveryExporter_inEveryProtocol_andReadsBackAsBefore() throws Exception {
    start("""
        exporters:
          kansoku:
          file: {path: "%s", format: proto}
        """.formatted(dir.resolve("metrics.pb")), """
            metrics: {receivers: [kansoku], exporters: [kansoku, file]}
        """);
    CloudWatchClient cw = sdk(true);
    Dimension dice = Dimension.builder().name("Service").value("dice").build();
    cw.putMetricData(b -> b.namespace("Apm/Test").metricData(MetricDatum.builder().metricName("cbor")
        .dimensions(dice).unit(StandardUnit.MILLISECONDS).timestamp(t0).storageResolution(1)
        .statisticValues(StatisticSet.builder().sampleCount(4.0).sum(100.0).minimum(5.0).maximum(60.0).build())
        .build()));
    AggregatedHttpResponse json = json10("{\"Namespace\": \"Apm/Test\", \"MetricData\": [{\"MetricName\": \"json\","
        + " \"Dimensions\": [{\"Name\": \"Service\", \"Value\": \"dice\"}], \"Unit\": \"Count\", \"Timestamp\": "
        + t0.getEpochSecond() + ", \"Value\": 7}]}");
    assertThat(json.status().code()).as(json.contentUtf8()).isEqualTo(200);
    AggregatedHttpResponse query = query("Action=PutMetricData&Version=2010-08-01&Namespace=Apm%2FTest"
        + "&MetricData.member.1.MetricName=query&MetricData.member.1.Dimensions.member.1.Name=Service"
        + "&MetricData.member.1.Dimensions.member.1.Value=dice&MetricData.member.1.Unit=Bytes"
        + "&MetricData.member.1.Timestamp=" + t0 + "&MetricData.member.1.Values.member.1=10"
        + "&MetricData.member.1.Values.member.2=30&MetricData.member.1.Counts.member.1=2"
        + "&MetricData.member.1.Counts.member.2=1");
    assertThat(query.status().code()).as(query.contentUtf8()).isEqualTo(200);

    assertThat(stats(cw, "cbor")).singleElement().satisfies(d -> {
      assertThat(List.of(d.sampleCount(), d.sum(), d.minimum(), d.maximum())).containsExactly(4.0, 100.0, 5.0, 60.0);
      assertThat(d.unitAsString()).isEqualTo("Milliseconds");
    });
    assertThat(stats(cw, "json")).singleElement().satisfies(d -> {
      assertThat(List.of(d.sampleCount(), d.sum(), d.minimum(), d.maximum())).containsExactly(1.0, 7.0, 7.0, 7.0);
      assertThat(d.unitAsString()).isEqualTo("Count");
    });
    assertThat(stats(cw, "query")).singleElement().satisfies(d -> {
      assertThat(List.of(d.sampleCount(), d.sum(), d.minimum(), d.maximum())).containsExactly(3.0, 50.0, 10.0, 30.0);
      assertThat(d.unitAsString()).isEqualTo("Bytes");
    });
    assertThat(cw.listMetrics(b -> b.namespace("Apm/Test")).metrics())
        .extracting(m -> m.metricName(), m -> m.dimensions())
        .containsExactlyInAnyOrder(tuple("cbor", List.of(dice)), tuple("json", List.of(dice)),
            tuple("query", List.of(dice)));

    service.shutdown(); // flushes the file exporter
    List<ExportMetricsServiceRequest> written = TestKansoku.fileExporterOutput(dir.resolve("metrics.pb"),
        ExportMetricsServiceRequest.parser());
    assertThat(written).hasSize(3);
    for (ExportMetricsServiceRequest r : written) {
      ResourceMetrics rm = r.getResourceMetrics(0);
      assertThat(rm.getResource().getAttributesList()).extracting(KeyValue::getKey, kv -> kv.getValue().getStringValue())
          .containsExactly(tuple("service.namespace", "Apm"), tuple("service.name", "Test"));
    }
    assertThat(written).extracting(r -> r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0))
        .extracting(Metric::getName, Metric::getUnit, Metric::getDataCase)
        .containsExactly(tuple("cbor", "Milliseconds", Metric.DataCase.SUMMARY),
            tuple("json", "Count", Metric.DataCase.GAUGE), tuple("query", "Bytes", Metric.DataCase.GAUGE));
  }

  @Test
  void memoryLimiterRefusal_isThrottling_inEveryProtocol() throws Exception {
    start(LIMITER + "exporters: {kansoku: }\n", """
            metrics: {receivers: [kansoku], processors: [memory_limiter], exporters: [kansoku]}
        """);
    CloudWatchClient cw = sdk(false);
    assertThatThrownBy(() -> cw.putMetricData(b -> b.namespace("Apm/Test").metricData(MetricDatum.builder()
        .metricName("refused").value(1.0).build())))
        .isInstanceOfSatisfying(CloudWatchException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
          assertThat(e.isThrottlingException()).isTrue();
          assertThat(e.awsErrorDetails().errorMessage()).startsWith(REFUSED);
        });

    // Bodies that would fail validation if they were read: refused before that, they are throttled.
    AggregatedHttpResponse json = json10("{\"Namespace\": [");
    assertThat(json.status().code()).isEqualTo(400);
    assertThat(json.contentUtf8()).contains("\"__type\":\"com.amazonaws.cloudwatch#ThrottlingException\"")
        .contains(REFUSED);
    assertThat(json.headers().get("x-amzn-query-error")).isEqualTo("Throttling;Sender");
    AggregatedHttpResponse query = query("Action=PutMetricData&Version=2010-08-01&Namespace=Apm%2FTest"
        + "&MetricData.member.1.MetricName=m&MetricData.member.1.Value=lots");
    assertThat(query.status().code()).isEqualTo(400);
    assertThat(query.contentUtf8()).contains("<Code>Throttling</Code>").contains("<Type>Sender</Type>")
        .contains(REFUSED);

    // Reads are not the pipeline's: they are answered.
    assertThat(cw.listMetrics(b -> b.namespace("Apm/Test")).metrics()).isEmpty();
  }

  @Test
  void withoutAMetricsPipeline_putMetricDataIsServiceUnavailable_namingTheFix() throws Exception {
    start("exporters: {kansoku: }\n", """
            logs: {receivers: [kansoku], exporters: [kansoku]}
        """);
    String why = "PutMetricData delivers to a metrics pipeline that receives from the kansoku receiver, and receiver"
        + " \"kansoku\" is in no metrics pipeline: add the kansoku receiver to a metrics pipeline (receivers:"
        + " {kansoku: } and service::pipelines::metrics::receivers: [kansoku])";
    assertThatThrownBy(() -> sdk(false).putMetricData(b -> b.namespace("Apm/Test").metricData(MetricDatum.builder()
        .metricName("nowhere").value(1.0).build())))
        .isInstanceOfSatisfying(CloudWatchException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(why);
        });
    AggregatedHttpResponse json = json10("{\"Namespace\": \"Apm/Test\", \"MetricData\": [{\"MetricName\": \"m\","
        + " \"Value\": 1}]}");
    assertThat(json.status().code()).isEqualTo(503);
    assertThat(json.headers().get("x-amzn-query-error")).isEqualTo("ServiceUnavailable;Receiver");
    AggregatedHttpResponse query = query("Action=PutMetricData&Version=2010-08-01&Namespace=Apm%2FTest"
        + "&MetricData.member.1.MetricName=m&MetricData.member.1.Value=1");
    assertThat(query.status().code()).isEqualTo(503);
    assertThat(query.contentUtf8()).contains("<Code>ServiceUnavailable</Code>").contains("<Type>Receiver</Type>");
  }
}
