package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.TraceSummary;

/**
 * Kansoku exporting to itself, as the seed's collector exports to AWS: OTLP spans → awsxray →
 * Kansoku's own PutTraceSegments, read back with GetTraceSummaries and BatchGetTraces; OTLP metrics
 * → awsemf → Kansoku's own PutLogEvents → EMF extraction, read back with GetMetricData.
 */
class SeedToSelfTest {
  @Test
  void awsxrayToOwnXrayApi() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
    int grpcPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/seed-to-self.yaml"),
        Map.of("GRPC_PORT", String.valueOf(grpcPort), "API_PORT", String.valueOf(apiPort))::get);
        XRayClient xray = XRayClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + apiPort))
            .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
            .build()) {
      SdkTracerProvider tracing = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dice-server")))
          .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://localhost:" + grpcPort).build())).build();
      Instant start = Instant.now().minusSeconds(5);
      var slow = tracing.get("dice").spanBuilder("GET /rolldice").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(start).setAttribute("http.request.method", "GET")
          .setAttribute("http.response.status_code", 200L).startSpan();
      slow.end(start.plusMillis(250));
      var fast = tracing.get("dice").spanBuilder("GET /rolldice").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(start).setAttribute("http.response.status_code", 200L).startSpan();
      fast.end(start.plusMillis(5));
      assertThat(tracing.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      String slowId = "1-" + slow.getSpanContext().getTraceId().substring(0, 8) + "-"
          + slow.getSpanContext().getTraceId().substring(8);
      List<TraceSummary> found = List.of();
      for (int i = 0; i < 50 && found.isEmpty(); i++) {
        Thread.sleep(100);
        found = xray.getTraceSummaries(r -> r.startTime(start.minusSeconds(60)).endTime(Instant.now().plusSeconds(60))
            .filterExpression("service(\"dice-server\") AND responsetime > 0.1")).traceSummaries();
      }
      assertThat(found).extracting(TraceSummary::id).containsExactly(slowId);
      var traces = xray.batchGetTraces(r -> r.traceIds(slowId)).traces();
      assertThat(traces).hasSize(1);
      assertThat(traces.get(0).segments().get(0).document()).contains("\"name\":\"dice-server\"")
          .contains("\"trace_id\":\"" + slowId + "\"");

      // Metrics: OTLP -> awsemf -> Kansoku's PutLogEvents -> EMF extraction -> GetMetricData, namespace
      // dice-server. awsemf adds the OTelLib dimension (the instrumentation scope), and CloudWatch matches
      // dimensions exactly.
      SdkMeterProvider meters = SdkMeterProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dice-server")))
          .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
              .setEndpoint("http://localhost:" + grpcPort).build()).setInterval(Duration.ofHours(1)).build()).build();
      meters.get("jvm").gaugeBuilder("jvm.thread.count").ofLongs().buildWithCallback(m -> m.record(42));
      assertThat(meters.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      try (CloudWatchClient cloudwatch = CloudWatchClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + apiPort)).region(Region.US_WEST_2)
          .httpClient(ApacheHttpClient.create())
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
          .build()) {
        List<Double> values = List.of();
        for (int i = 0; i < 50 && values.isEmpty(); i++) {
          Thread.sleep(100);
          values = cloudwatch.getMetricData(r -> r.startTime(Instant.now().minusSeconds(600))
              .endTime(Instant.now().plusSeconds(60)).metricDataQueries(q -> q.id("m1").metricStat(ms -> ms
                  .metric(m -> m.namespace("dice-server").metricName("jvm.thread.count")
                      .dimensions(d -> d.name("OTelLib").value("jvm"))).period(60)
                  .stat("Maximum")))).metricDataResults().get(0).values();
        }
        assertThat(values).contains(42.0);
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
