package dev.kansoku.prometheus.remotewrite;

import static dev.kansoku.prometheus.remotewrite.Otlp.CUMULATIVE;
import static dev.kansoku.prometheus.remotewrite.Otlp.attrs;
import static dev.kansoku.prometheus.remotewrite.Otlp.histogram;
import static dev.kansoku.prometheus.remotewrite.Otlp.histogramPoint;
import static dev.kansoku.prometheus.remotewrite.Otlp.point;
import static dev.kansoku.prometheus.remotewrite.Otlp.request;
import static dev.kansoku.prometheus.remotewrite.Otlp.sum;
import static dev.kansoku.prometheus.remotewrite.Otlp.summary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Counters, a histogram and a summary exported to a real Prometheus (remote write receiver), then read
 * back with its HTTP API: the names, labels and values Prometheus stored.
 */
@ExtendWith(PrometheusServer.class)
class PrometheusRemoteWriteEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void countersHistogramSummary_storedByPrometheus() throws Exception {
    long nowMs = System.currentTimeMillis();
    long t = nowMs * 1_000_000L;
    ExportMetricsServiceRequest req = request(
        attrs("service.name", "checkout", "service.namespace", "shop", "service.instance.id", "pod-1",
            "deployment.environment", "e2e"),
        sum("http.server.requests", "{request}", true, CUMULATIVE, point(t, 42, "http.route", "/cart"),
            point(t, 7, "http.route", "/pay")),
        histogram("http.server.duration", "ms", CUMULATIVE,
            histogramPoint(t, 123.5, List.of(10.0, 100.0), List.of(3L, 4L, 1L), "http.route", "/cart")),
        summary("gc.pause", "s", t, 0.75, 5, 0.5, 0.1, 0.99, 0.4));

    var factory = new PrometheusRemoteWriteExporterFactory();
    Exporter exporter = factory.create(PrometheusRemoteWriteExporterTest.bind("""
        endpoint: %s/api/v1/write
        external_labels: {cluster: e2e-cluster}
        remote_write_queue: {enabled: false}
        """.formatted(PrometheusServer.url()), factory.createDefaultConfig(), "exporters::prometheusremotewrite"),
        ctx());
    exporter.start(new Host() {
      @Override
      public <E> Optional<E> extension(ComponentId id, Class<E> type) {
        return Optional.empty();
      }
    });
    try {
      DataConsumer<ExportMetricsServiceRequest> consumer = exporter.consumer(Signal.METRICS);
      consumer.consume(req);
    } finally {
      exporter.shutdown();
    }

    String job = "job=\"shop/checkout\",instance=\"pod-1\"";
    assertThat(query("http_server_requests_total{" + job + "}", nowMs)).containsExactlyInAnyOrder(
        "{__name__=http_server_requests_total, cluster=e2e-cluster, http_route=/cart, instance=pod-1, job=shop/checkout,"
            + " otel_scope_name=shop.meter, otel_scope_version=1.2} 42",
        "{__name__=http_server_requests_total, cluster=e2e-cluster, http_route=/pay, instance=pod-1, job=shop/checkout,"
            + " otel_scope_name=shop.meter, otel_scope_version=1.2} 7");
    assertThat(query("http_server_duration_milliseconds_bucket{" + job + "}", nowMs)).extracting(
        s -> s.replaceAll(".*le=([^,}]*).*\\} (.*)", "le=$1 $2")).containsExactlyInAnyOrder(
        "le=10 3", "le=100 7", "le=+Inf 8");
    assertThat(query("http_server_duration_milliseconds_sum{" + job + "}", nowMs)).singleElement()
        .asString().endsWith("} 123.5");
    assertThat(query("http_server_duration_milliseconds_count{" + job + "}", nowMs)).singleElement()
        .asString().endsWith("} 8");
    assertThat(query("gc_pause_seconds{" + job + "}", nowMs)).extracting(
        s -> s.replaceAll(".*quantile=([^,}]*).*\\} (.*)", "q=$1 $2")).containsExactlyInAnyOrder("q=0.5 0.1",
        "q=0.99 0.4");
    assertThat(query("gc_pause_seconds_count{" + job + "}", nowMs)).singleElement().asString().endsWith("} 5");
    assertThat(query("target_info{" + job + "}", nowMs)).containsExactly(
        "{__name__=target_info, cluster=e2e-cluster, deployment_environment=e2e, instance=pod-1, job=shop/checkout} 1");
  }

  private static ComponentContext ctx() {
    return new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse("prometheusremotewrite");
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    };
  }

  /** Instant query at {@code atMs}: each series as its sorted labels and value. */
  private static List<String> query(String promql, long atMs) throws Exception {
    String url = PrometheusServer.url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + (atMs / 1000.0);
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode result = JSON.readTree(res.body()).path("data").path("result");
    return StreamSupport.stream(result.spliterator(), false).map(r -> {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ", "{", "}")) + " " + r.path("value").get(1).asText();
    }).toList();
  }
}
