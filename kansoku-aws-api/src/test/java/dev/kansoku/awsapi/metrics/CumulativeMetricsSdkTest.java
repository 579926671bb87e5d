package dev.kansoku.awsapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.otlp.OtlpReceiverFactory;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.testing.TestComponents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The OTel Java SDK's default (cumulative) counter and histogram, exported three times over OTLP into
 * the {@code kansoku} exporter, read back through the AWS SDK for Java v2: each value counted once, as
 * CloudWatch shows them after awsemf, not once per export.
 */
class CumulativeMetricsSdkTest {
  private static final Dimension ROUTE = Dimension.builder().name("http.route").value("/rolldice").build();
  private static final Attributes ROUTE_ATTR = Attributes.of(AttributeKey.stringKey("http.route"), "/rolldice");

  private Service service;
  private CloudWatchClient cw;
  private SdkMeterProvider meters;
  private int apiPort;

  @AfterEach
  void stop() {
    if (meters != null) {
      meters.shutdown().join(10, TimeUnit.SECONDS);
    }
    if (cw != null) {
      cw.close();
    }
    service.shutdown();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void counter_and_histogram_exported_three_times_read_back_once() throws Exception {
    // A one-hour period holds the whole test; start past the first seconds of an hour boundary.
    long intoHour = Instant.now().getEpochSecond() % 3600;
    if (intoHour > 3590) {
      Thread.sleep((3601 - intoHour) * 1000);
    }
    apiPort = freePort();
    int otlpPort = freePort();
    service = TestKansoku.start(TestKansoku.registry(new TestComponents(), new OtlpReceiverFactory()), """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:%d"}}}}
        exporters: {kansoku: }
        service:
          extensions: [kansoku]
          pipelines:
            metrics: {receivers: [otlp], exporters: [kansoku]}
        """.formatted(apiPort, otlpPort));
    cw = CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + apiPort))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build();

    // The SDK's defaults: cumulative temporality, explicit buckets 0, 5, 10, 25, 50, 75, 100, 250, 500, …
    meters = SdkMeterProvider.builder().setResource(Resource.builder().put("service.name", "dice-server").build())
        .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
            .setEndpoint("http://127.0.0.1:" + otlpPort + "/v1/metrics").build()).setInterval(Duration.ofHours(1))
            .build()).build();
    LongCounter rolls = meters.get("dice").counterBuilder("dice.rolls").build();
    DoubleHistogram latency = meters.get("dice").histogramBuilder("http.server.duration").setUnit("ms").build();
    Instant from = Instant.now().minusSeconds(60);

    rolls.add(5, ROUTE_ATTR);
    latency.record(20, ROUTE_ATTR);
    latency.record(30, ROUTE_ATTR);
    export(); // counter 5, histogram {20, 30}
    rolls.add(3, ROUTE_ATTR);
    latency.record(300, ROUTE_ATTR);
    latency.record(400, ROUTE_ATTR);
    export(); // counter 8, histogram {20, 30, 300, 400}
    export(); // nothing new: the same totals again

    Instant to = Instant.now().plusSeconds(60);
    Datapoint counter = single(cw.getMetricStatistics(b -> b.namespace("dice-server").metricName("dice.rolls")
        .dimensions(ROUTE).startTime(from).endTime(to).period(3600)
        .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT)));
    // Stored totals would read 5 + 8 + 8 = 21; the increases are 5, 3 and 0.
    assertThat(counter.sum()).isEqualTo(8.0);
    assertThat(counter.sampleCount()).isEqualTo(3.0);

    Datapoint histogram = single(cw.getMetricStatistics(b -> b.namespace("dice-server")
        .metricName("http.server.duration").dimensions(ROUTE).startTime(from).endTime(to).period(3600)
        .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT, Statistic.MINIMUM, Statistic.MAXIMUM)
        .extendedStatistics("p50", "p75")));
    assertThat(histogram.sampleCount()).isEqualTo(4.0); // not 2 + 4 + 4
    assertThat(histogram.sum()).isEqualTo(750.0);
    assertThat(histogram.minimum()).isEqualTo(20.0);
    assertThat(histogram.maximum()).isEqualTo(400.0);
    // Buckets (10,25]: 1, (25,50]: 1, (250,500]: 2, interpolated; with totals stored p50 would be 41.7.
    assertThat(histogram.extendedStatistics().get("p50")).isCloseTo(50.0, within(1e-9));
    assertThat(histogram.extendedStatistics().get("p75")).isCloseTo(375.0, within(1e-9));

    // The console's metrics API reads the same store through the same statistics.
    JsonNode console = new ObjectMapper().readTree(WebClient.of("http://127.0.0.1:" + apiPort).blocking()
        .get("/api/metrics?namespace=dice-server&name=dice.rolls&stat=Sum&period=1h&dimension=http.route:/rolldice"
            + "&start=" + from + "&end=" + to).contentUtf8());
    assertThat(console.at("/series/0/values/Sum/0").asDouble()).as(console.toString()).isEqualTo(8.0);
  }

  private void export() {
    assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  private static Datapoint single(GetMetricStatisticsResponse r) {
    List<Datapoint> points = r.datapoints();
    assertThat(points).as(r.toString()).hasSize(1);
    return points.get(0);
  }
}
