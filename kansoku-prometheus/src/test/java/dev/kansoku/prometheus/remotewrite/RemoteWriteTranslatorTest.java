package dev.kansoku.prometheus.remotewrite;

import static dev.kansoku.prometheus.remotewrite.Otlp.CUMULATIVE;
import static dev.kansoku.prometheus.remotewrite.Otlp.DELTA;
import static dev.kansoku.prometheus.remotewrite.Otlp.attrs;
import static dev.kansoku.prometheus.remotewrite.Otlp.gauge;
import static dev.kansoku.prometheus.remotewrite.Otlp.histogram;
import static dev.kansoku.prometheus.remotewrite.Otlp.histogramPoint;
import static dev.kansoku.prometheus.remotewrite.Otlp.point;
import static dev.kansoku.prometheus.remotewrite.Otlp.request;
import static dev.kansoku.prometheus.remotewrite.Otlp.sum;
import static dev.kansoku.prometheus.remotewrite.Otlp.summary;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden cases: OTLP in, the decoded WriteRequest out, one line per sample
 * ({@code name{labels} value @ms}, see {@link WriteRequests}), compared as sorted text.
 */
class RemoteWriteTranslatorTest {
  private static final long T = 1_700_000_000_123_456_789L; // ns; 1700000000123 ms
  private static final String SCOPE = "otel_scope_name=\"shop.meter\",otel_scope_version=\"1.2\"";
  private static final RemoteWriteTranslator.Settings DEFAULTS =
      new RemoteWriteTranslator.Settings("", true, Map.of(), false, false, true, true, false);

  private static List<String> translate(RemoteWriteTranslator.Settings settings, ExportMetricsServiceRequest req)
      throws Exception {
    RemoteWriteTranslator.Result r = new RemoteWriteTranslator(settings).translate(req);
    List<String> lines = new ArrayList<>();
    for (RemoteWriteEncoder.Request w : RemoteWriteEncoder.encode(r.series(), r.metadata(), 3_000_000)) {
      lines.addAll(WriteRequests.lines(w.body()));
    }
    return lines.stream().sorted().toList();
  }

  private static List<String> expected(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
  }

  @Test
  void counter_jobInstanceAndTargetInfo() throws Exception {
    var req = request(attrs("service.name", "checkout", "service.namespace", "shop", "service.instance.id", "i-1",
            "host.name", "h1"),
        sum("http.server.requests", "{request}", true, CUMULATIVE, point(T, 7, "http.method", "GET")));
    assertThat(translate(DEFAULTS, req)).isEqualTo(expected("""
        http_server_requests_total{http_method="GET",instance="i-1",job="shop/checkout",%s} 7 @1700000000123
        target_info{host_name="h1",instance="i-1",job="shop/checkout"} 1 @1700000000123
        """.formatted(SCOPE)));
  }

  @Test
  void gaugesAndNonMonotonicSums_unitSuffixes() throws Exception {
    var req = request(attrs("service.name", "api"),
        gauge("cpu.utilization", "1", point(T, 0.25)),
        gauge("memory.usage", "By", point(T, 1024)),
        gauge("queue.depth", "{item}", point(T, 3)),
        sum("network.io", "By/s", false, CUMULATIVE, point(T, 10)),
        sum("process.cpu.time", "s", true, CUMULATIVE, point(T, 1.5)),
        sum("requests.total.count", "ms", true, CUMULATIVE, point(T, 2)),
        gauge("temperature", "Cel", point(T, 21.5)),
        gauge("3d.points", "", point(T, 1)));
    assertThat(translate(DEFAULTS, req)).isEqualTo(expected("""
        cpu_utilization_ratio{job="api",%1$s} 0.25 @1700000000123
        memory_usage_bytes{job="api",%1$s} 1024 @1700000000123
        queue_depth{job="api",%1$s} 3 @1700000000123
        network_io_bytes_per_second{job="api",%1$s} 10 @1700000000123
        process_cpu_time_seconds_total{job="api",%1$s} 1.5 @1700000000123
        requests_count_milliseconds_total{job="api",%1$s} 2 @1700000000123
        temperature_celsius{job="api",%1$s} 21.5 @1700000000123
        _3d_points{job="api",%1$s} 1 @1700000000123
        """.formatted(SCOPE)));
  }

  @Test
  void withoutSuffixes_namesAreOnlySanitized() throws Exception {
    var settings = new RemoteWriteTranslator.Settings("", false, Map.of(), false, false, false, false, false);
    var req = request(attrs(), gauge("cpu.utilization", "1", point(T, 0.5)),
        sum("http.requests", "{request}", true, CUMULATIVE, point(T, 4)));
    assertThat(translate(settings, req)).isEqualTo(expected("""
        cpu_utilization 0.5 @1700000000123
        http_requests 4 @1700000000123
        """));
  }

  @Test
  void histogram_cumulativeBucketsSumCount() throws Exception {
    var req = request(attrs("service.name", "api"),
        histogram("http.server.duration", "ms", CUMULATIVE,
            histogramPoint(T, 4.5, List.of(0.1, 1.0, 2.5), List.of(2L, 3L, 0L, 1L), "route", "/cart")));
    assertThat(translate(DEFAULTS, req)).isEqualTo(expected("""
        http_server_duration_milliseconds_bucket{job="api",le="0.1",%1$s,route="/cart"} 2 @1700000000123
        http_server_duration_milliseconds_bucket{job="api",le="1",%1$s,route="/cart"} 5 @1700000000123
        http_server_duration_milliseconds_bucket{job="api",le="2.5",%1$s,route="/cart"} 5 @1700000000123
        http_server_duration_milliseconds_bucket{job="api",le="+Inf",%1$s,route="/cart"} 6 @1700000000123
        http_server_duration_milliseconds_sum{job="api",%1$s,route="/cart"} 4.5 @1700000000123
        http_server_duration_milliseconds_count{job="api",%1$s,route="/cart"} 6 @1700000000123
        """.formatted(SCOPE)));
  }

  @Test
  void summary_quantilesSumCount() throws Exception {
    var req = request(attrs(), summary("rpc.latency", "s", T, 12.5, 10, 0.5, 1.0, 0.99, 3.25));
    assertThat(translate(DEFAULTS, req)).isEqualTo(expected("""
        rpc_latency_seconds{%1$s,quantile="0.5"} 1 @1700000000123
        rpc_latency_seconds{%1$s,quantile="0.99"} 3.25 @1700000000123
        rpc_latency_seconds_sum{%1$s} 12.5 @1700000000123
        rpc_latency_seconds_count{%1$s} 10 @1700000000123
        """.formatted(SCOPE)));
  }

  @Test
  void deltaSumsAndHistograms_dropped() throws Exception {
    var req = request(attrs(), sum("requests", "", true, DELTA, point(T, 1), point(T, 2)),
        histogram("latency", "s", DELTA, histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L))),
        gauge("kept", "", point(T, 1)));
    RemoteWriteTranslator.Result r = new RemoteWriteTranslator(DEFAULTS).translate(req);
    assertThat(r.series()).extracting(TimeSeries::name).containsExactly("kept");
    assertThat(r.droppedPoints()).isEqualTo(3);
    assertThat(r.droppedMetrics()).hasSize(2);
  }

  @Test
  void noRecordedValue_isTheStaleMarker() throws Exception {
    var stale = point(T, 5).toBuilder().setFlags(1).build();
    var staleHistogram = histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L)).toBuilder().setFlags(1).build();
    var settings = new RemoteWriteTranslator.Settings("", true, Map.of(), false, false, false, false, false);
    assertThat(translate(settings, request(attrs(), gauge("g", "", stale),
        histogram("h", "", CUMULATIVE, staleHistogram)))).isEqualTo(expected("""
        g STALE @1700000000123
        h_bucket{le="1"} STALE @1700000000123
        h_bucket{le="+Inf"} STALE @1700000000123
        h_count STALE @1700000000123
        h_sum STALE @1700000000123
        """));
  }

  @Test
  void resourceToTelemetry_resourceAttributesBecomeLabels() throws Exception {
    var req = request(attrs("service.name", "api", "service.instance.id", "i-9", "cloud.region", "eu-west-1",
        "host.name", "resource-host"), gauge("up", "", point(T, 1, "host.name", "point-host", "state", "ok")));
    var on = new RemoteWriteTranslator.Settings("", true, Map.of(), true, false, false, false, false);
    assertThat(translate(on, req)).isEqualTo(expected("""
        up{cloud_region="eu-west-1",host_name="resource-host",instance="i-9",job="api",service_instance_id="i-9",service_name="api",state="ok"} 1 @1700000000123
        """));
    var excluding = new RemoteWriteTranslator.Settings("", true, Map.of(), true, true, false, false, false);
    assertThat(translate(excluding, req)).isEqualTo(expected("""
        up{cloud_region="eu-west-1",host_name="resource-host",instance="i-9",job="api",state="ok"} 1 @1700000000123
        """));
  }

  @Test
  void targetInfo_onlyWithAnIdentifierAndMoreAttributes() throws Exception {
    Metric g = gauge("g", "", point(T, 1));
    var settings = new RemoteWriteTranslator.Settings("ns", true, Map.of(), false, false, true, false, false);
    // Only job/instance attributes: no target_info. No service at all: no target_info.
    assertThat(translate(settings, request(attrs("service.name", "a", "service.instance.id", "b"), g)))
        .containsExactly("ns_g{instance=\"b\",job=\"a\"} 1 @1700000000123");
    assertThat(translate(settings, request(attrs("host.name", "h"), g)))
        .containsExactly("ns_g 1 @1700000000123");
    assertThat(translate(settings, request(attrs("service.name", "a", "k8s.pod.name", "p"), g)))
        .contains("ns_target_info{job=\"a\",k8s_pod_name=\"p\"} 1 @1700000000123");
  }

  @Test
  void labelSanitizing_collisionsAndExternalLabels() throws Exception {
    var settings = new RemoteWriteTranslator.Settings("", true, Map.of("cluster", "prod", "zone.name", "z1",
        "state", "external"), false, false, false, false, false);
    var req = request(attrs(), gauge("g", "", point(T, 1, "a.b", "x", "a_b", "y", "0day", "d", "_private", "p",
        "__meta__", "m", "state", "own", "le", "no-clash")));
    assertThat(translate(settings, req)).containsExactly(
        "g{__meta__=\"m\",a_b=\"x;y\",cluster=\"prod\",key_0day=\"d\",key_private=\"p\",le=\"no-clash\","
            + "state=\"own\",zone_name=\"z1\"} 1 @1700000000123");
  }

  @Test
  void samePointsShareOneSeries_inTimeOrder() throws Exception {
    var req = request(attrs(), gauge("g", "", point(T + 2_000_000_000L, 3), point(T, 1), point(T + 1_000_000_000L, 2)));
    var settings = new RemoteWriteTranslator.Settings("", true, Map.of(), false, false, false, false, false);
    RemoteWriteTranslator.Result r = new RemoteWriteTranslator(settings).translate(req);
    assertThat(r.series()).hasSize(1);
    assertThat(WriteRequests.lines(RemoteWriteEncoder.encode(r.series(), List.of(), 1000).get(0).body()))
        .containsExactly("g 1 @1700000000123", "g 2 @1700000001123", "g 3 @1700000002123");
  }

  @Test
  void metadata_onePerMetric() throws Exception {
    var settings = new RemoteWriteTranslator.Settings("", true, Map.of(), false, false, false, false, true);
    var req = request(attrs(), sum("requests", "", true, CUMULATIVE, point(T, 1)),
        sum("inflight", "", false, CUMULATIVE, point(T, 1)), gauge("mem", "By", point(T, 1)),
        histogram("lat", "s", CUMULATIVE, histogramPoint(T, 1, List.of(), List.of(1L))),
        summary("rpc", "ms", T, 1, 1));
    assertThat(translate(settings, req)).filteredOn(l -> l.startsWith("#")).containsExactly(
        "# COUNTER requests_total HELP \"requests help\" UNIT \"\"",
        "# GAUGE inflight HELP \"inflight help\" UNIT \"\"",
        "# GAUGE mem_bytes HELP \"mem help\" UNIT \"By\"",
        "# HISTOGRAM lat_seconds HELP \"lat help\" UNIT \"s\"",
        "# SUMMARY rpc_milliseconds HELP \"rpc help\" UNIT \"ms\"");
  }

  @Test
  void batches_splitAtMaxBatchSize() throws Exception {
    var settings = new RemoteWriteTranslator.Settings("", true, Map.of(), false, false, false, false, false);
    Metric[] gauges = new Metric[50];
    for (int i = 0; i < gauges.length; i++) {
      gauges[i] = gauge("metric_number_" + i, "", point(T, i));
    }
    RemoteWriteTranslator.Result r = new RemoteWriteTranslator(settings).translate(request(attrs(), gauges));
    List<RemoteWriteEncoder.Request> requests = RemoteWriteEncoder.encode(r.series(), List.of(), 500);
    assertThat(requests).hasSizeGreaterThan(3).allSatisfy(q -> assertThat(q.body().length).isLessThan(500));
    assertThat(requests.stream().mapToInt(RemoteWriteEncoder.Request::samples).sum()).isEqualTo(50);
    List<String> all = new ArrayList<>();
    for (RemoteWriteEncoder.Request q : requests) {
      all.addAll(WriteRequests.lines(q.body()));
    }
    assertThat(all).hasSize(50).contains("metric_number_49 49 @1700000000123", "metric_number_0 0 @1700000000123");
  }
}
