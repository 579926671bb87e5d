package dev.kansoku.awsapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.EntityMetricData;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/** The official Java SDK v2 client (smithy-rpc-v2-cbor since 2.40.6) against a started kansoku extension. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudWatchSdkTest {
  private TestEndpoint endpoint;
  private CloudWatchClient cw;
  /** A minute boundary a little in the past, so every datum lands in known 60 s periods. */
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES);

  @BeforeAll
  void start() throws Exception {
    endpoint = new TestEndpoint();
    cw = CloudWatchClient.builder().endpointOverride(endpoint.uri()).region(Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(ApacheHttpClient.create()).build();
    Dimension svc = Dimension.builder().name("Service").value("dice").build();
    Dimension env = Dimension.builder().name("Env").value("dev").build();
    List<MetricDatum> data = new ArrayList<>();
    // latency: 1..100 ms in the first minute (p99 = 99), 10 and 30 in the second
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      values.add((double) i);
    }
    data.add(MetricDatum.builder().metricName("latency").dimensions(svc).unit(StandardUnit.MILLISECONDS)
        .timestamp(t0.plusSeconds(5)).values(values).build());
    data.add(MetricDatum.builder().metricName("latency").dimensions(svc).unit(StandardUnit.MILLISECONDS)
        .timestamp(t0.plusSeconds(65)).value(10.0).build());
    data.add(MetricDatum.builder().metricName("latency").dimensions(svc).unit(StandardUnit.MILLISECONDS)
        .timestamp(t0.plusSeconds(70)).value(30.0).build());
    // errors/requests for an expression: 5 of 50, then 1 of 20
    data.add(MetricDatum.builder().metricName("errors").dimensions(svc).timestamp(t0.plusSeconds(1))
        .statisticValues(StatisticSet.builder().sampleCount(5.0).sum(5.0).minimum(1.0).maximum(1.0).build()).build());
    data.add(MetricDatum.builder().metricName("requests").dimensions(svc).timestamp(t0.plusSeconds(1))
        .statisticValues(StatisticSet.builder().sampleCount(2.0).sum(50.0).minimum(20.0).maximum(30.0).build())
        .build());
    data.add(MetricDatum.builder().metricName("errors").dimensions(svc).timestamp(t0.plusSeconds(61)).value(1.0)
        .build());
    data.add(MetricDatum.builder().metricName("requests").dimensions(svc).timestamp(t0.plusSeconds(61)).value(20.0)
        .build());
    // the same metric name with another dimension set, for ListMetrics filters
    data.add(MetricDatum.builder().metricName("latency").dimensions(svc, env).timestamp(t0.plusSeconds(5)).value(7.0)
        .build());
    cw.putMetricData(b -> b.namespace("dice-server").metricData(data));
    // 200 datums: over the SDK's 10 KiB threshold, so this one travels gzip-compressed
    List<MetricDatum> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(MetricDatum.builder().metricName("bulk").dimensions(svc)
          .dimensions(svc, Dimension.builder().name("Shard").value("shard-" + (i % 4)).build())
          .timestamp(t0.plusSeconds(i % 60)).value((double) i).unit(StandardUnit.COUNT).build());
    }
    cw.putMetricData(b -> b.namespace("dice-server").metricData(many));
  }

  @AfterAll
  void stop() {
    cw.close();
    endpoint.close();
  }

  private static Metric metric(String name, Dimension... dims) {
    return Metric.builder().namespace("dice-server").metricName(name).dimensions(dims).build();
  }

  private static MetricDataQuery stat(String id, Metric m, String stat) {
    return MetricDataQuery.builder().id(id).metricStat(s -> s.metric(m).period(60).stat(stat)).build();
  }

  @Test
  void getMetricDataStatisticsAndExpression() {
    Dimension svc = Dimension.builder().name("Service").value("dice").build();
    GetMetricDataResponse r = cw.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(300))
        .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(
            stat("avg", metric("latency", svc), "Average"),
            stat("sum", metric("latency", svc), "Sum"),
            stat("max", metric("latency", svc), "Maximum"),
            stat("pct", metric("latency", svc), "p99"),
            stat("cnt", metric("latency", svc), "SampleCount"),
            MetricDataQuery.builder().id("e").metricStat(s -> s.metric(metric("errors", svc)).period(60).stat("Sum"))
                .returnData(false).build(),
            MetricDataQuery.builder().id("r").metricStat(s -> s.metric(metric("requests", svc)).period(60)
                .stat("Sum")).returnData(false).build(),
            MetricDataQuery.builder().id("rate").expression("e/r*100").label("error rate").build()));
    assertThat(r.metricDataResults()).extracting(MetricDataResult::id)
        .containsExactly("avg", "sum", "max", "pct", "cnt", "rate");
    MetricDataResult avg = r.metricDataResults().get(0);
    assertThat(avg.label()).isEqualTo("latency");
    assertThat(avg.statusCodeAsString()).isEqualTo("Complete");
    assertThat(avg.timestamps()).containsExactly(t0, t0.plusSeconds(60));
    assertThat(avg.values()).containsExactly(50.5, 20.0);
    assertThat(r.metricDataResults().get(1).values()).containsExactly(5050.0, 40.0);
    assertThat(r.metricDataResults().get(2).values()).containsExactly(100.0, 30.0);
    assertThat(r.metricDataResults().get(3).values()).containsExactly(99.0, 30.0);
    assertThat(r.metricDataResults().get(4).values()).containsExactly(100.0, 2.0);
    MetricDataResult rate = r.metricDataResults().get(5);
    assertThat(rate.label()).isEqualTo("error rate");
    assertThat(rate.values()).containsExactly(10.0, 5.0);
    assertThat(r.nextToken()).isNull();
  }

  @Test
  void getMetricDataDescendingByDefaultAndSumOfMetrics() {
    Dimension svc = Dimension.builder().name("Service").value("dice").build();
    GetMetricDataResponse r = cw.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(300)).metricDataQueries(
        stat("e", metric("errors", svc), "Sum"), stat("r", metric("requests", svc), "Sum"),
        MetricDataQuery.builder().id("total").expression("SUM(METRICS())").build()));
    assertThat(r.metricDataResults().get(0).timestamps()).containsExactly(t0.plusSeconds(60), t0);
    assertThat(r.metricDataResults().get(2).values()).containsExactly(21.0, 55.0);
  }

  @Test
  void getMetricDataPagesWithNextToken() {
    Dimension svc = Dimension.builder().name("Service").value("dice").build();
    GetMetricDataResponse p1 = cw.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(300)).maxDatapoints(1)
        .metricDataQueries(stat("avg", metric("latency", svc), "Average")));
    assertThat(p1.metricDataResults().get(0).values()).containsExactly(20.0);
    assertThat(p1.nextToken()).isNotNull();
    GetMetricDataResponse p2 = cw.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(300)).maxDatapoints(1)
        .nextToken(p1.nextToken()).metricDataQueries(stat("avg", metric("latency", svc), "Average")));
    assertThat(p2.metricDataResults().get(0).values()).containsExactly(50.5);
    assertThat(p2.nextToken()).isNull();
  }

  @Test
  void getMetricStatistics() {
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("dice-server").metricName("latency")
        .dimensions(Dimension.builder().name("Service").value("dice").build())
        .startTime(t0).endTime(t0.plusSeconds(120)).period(60)
        .statistics(Statistic.AVERAGE, Statistic.MAXIMUM, Statistic.SAMPLE_COUNT).extendedStatistics("p99", "p50"));
    assertThat(r.label()).isEqualTo("latency");
    List<Datapoint> dps = new ArrayList<>(r.datapoints());
    dps.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
    assertThat(dps).hasSize(2);
    assertThat(dps.get(0).timestamp()).isEqualTo(t0);
    assertThat(dps.get(0).average()).isEqualTo(50.5);
    assertThat(dps.get(0).maximum()).isEqualTo(100.0);
    assertThat(dps.get(0).sampleCount()).isEqualTo(100.0);
    assertThat(dps.get(0).unit()).isEqualTo(StandardUnit.MILLISECONDS);
    assertThat(dps.get(0).extendedStatistics()).containsEntry("p99", 99.0).containsEntry("p50", 50.0);
    assertThat(dps.get(1).average()).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void listMetricsWithDimensionFilter() {
    ListMetricsResponse all = cw.listMetrics(b -> b.namespace("dice-server").metricName("latency"));
    assertThat(all.metrics()).hasSize(2);
    ListMetricsResponse env = cw.listMetrics(b -> b.namespace("dice-server")
        .dimensions(DimensionFilter.builder().name("Env").build()));
    assertThat(env.metrics()).hasSize(1);
    assertThat(env.metrics().get(0).metricName()).isEqualTo("latency");
    assertThat(env.metrics().get(0).dimensions()).extracting(Dimension::name).containsExactly("Env", "Service");
    ListMetricsResponse shard = cw.listMetrics(b -> b.namespace("dice-server")
        .dimensions(DimensionFilter.builder().name("Shard").value("shard-1").build()));
    assertThat(shard.metrics()).singleElement().satisfies(m -> assertThat(m.dimensions())
        .contains(Dimension.builder().name("Shard").value("shard-1").build()));
    assertThat(cw.listMetrics(b -> b.namespace("no-such-namespace")).metrics()).isEmpty();
    assertThat(shard.nextToken()).isNull();
  }

  @Test
  void bulkGzipPutIsStored() {
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("dice-server").metricName("bulk")
        .dimensions(Dimension.builder().name("Service").value("dice").build(),
            Dimension.builder().name("Shard").value("shard-0").build())
        .startTime(t0).endTime(t0.plusSeconds(60)).period(60).statistics(Statistic.SAMPLE_COUNT));
    assertThat(r.datapoints()).singleElement().satisfies(d -> assertThat(d.sampleCount()).isEqualTo(50.0));
  }

  @Test
  void entityMetricData_isStoredLikeMetricData() {
    Instant at = t0.plusSeconds(200);
    cw.putMetricData(b -> b.namespace("entities").metricData(MetricDatum.builder().metricName("plain").value(1.0)
            .timestamp(at).build())
        .entityMetricData(EntityMetricData.builder()
            .entity(e -> e.keyAttributes(Map.of("Type", "Service", "Name", "dice-server", "Environment", "prod"))
                .attributes(Map.of("PlatformType", "AWS::ECS")))
            .metricData(MetricDatum.builder().metricName("rolls").value(4.0).timestamp(at)
                    .dimensions(Dimension.builder().name("Service").value("dice").build()).build(),
                MetricDatum.builder().metricName("rolls").value(6.0).timestamp(at)
                    .dimensions(Dimension.builder().name("Service").value("dice").build()).build())
            .build()));
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("entities").metricName("rolls")
        .dimensions(Dimension.builder().name("Service").value("dice").build())
        .startTime(t0).endTime(t0.plusSeconds(600)).period(600).statistics(Statistic.SUM, Statistic.SAMPLE_COUNT));
    assertThat(r.datapoints()).singleElement().satisfies(d -> {
      assertThat(d.sum()).isEqualTo(10.0);
      assertThat(d.sampleCount()).isEqualTo(2.0);
    });
    assertThat(cw.listMetrics(b -> b.namespace("entities")).metrics()).extracting(Metric::metricName)
        .containsExactlyInAnyOrder("plain", "rolls");
    // A datum of an entity is checked as any datum, and named by its path.
    assertThatThrownBy(() -> cw.putMetricData(b -> b.namespace("entities").entityMetricData(EntityMetricData.builder()
        .entity(e -> e.keyAttributes(Map.of("Type", "Service", "Name", "dice-server")))
        .metricData(MetricDatum.builder().metricName("rolls").value(1.0).unit("Furlongs").build()).build())))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("EntityMetricData.member.1.MetricData.member.1.Unit");
  }

  @Test
  void invalidParameterValueReachesTheSdkAsItsException() {
    assertThatThrownBy(() -> cw.putMetricData(b -> b.namespace("dice-server").metricData(
        MetricDatum.builder().metricName("x").value(1.0).unit("Furlongs").build())))
        .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("The value Furlongs for parameter MetricData.member.1.Unit is invalid.");
        });
    assertThatThrownBy(() -> cw.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(60))
        .metricDataQueries(stat("m", metric("latency"), "p101"))))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("p101");
    assertThatThrownBy(() -> cw.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(60))
        .metricDataQueries(MetricDataQuery.builder().id("x").expression("m1 +").build())))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("m1 +");
  }

  @Test
  void missingParameter() {
    assertThatThrownBy(() -> cw.putMetricData(b -> b.metricData(MetricDatum.builder().metricName("x").value(1.0)
        .build()))).isInstanceOfSatisfying(MissingRequiredParameterException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter"));
  }
}
