package dev.kansoku.prometheus.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigSource;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusReceiverTest {
  private final AtomicReference<String> body = new AtomicReference<>("");
  private final AtomicReference<MediaType> type = new AtomicReference<>(MediaType.parse("text/plain; version=0.0.4"));
  private final AtomicReference<String> accept = new AtomicReference<>();
  private Server server;

  @BeforeEach
  void start() {
    server = Server.builder().localPort(0, com.linecorp.armeria.common.SessionProtocol.HTTP)
        .service("/metrics", (ctx, req) -> {
          accept.set(req.headers().get("accept"));
          return HttpResponse.of(HttpStatus.OK, type.get(), body.get());
        })
        .service("/missing", (ctx, req) -> HttpResponse.of(HttpStatus.NOT_FOUND))
        .build();
    server.start().join();
  }

  @AfterEach
  void stop() {
    server.stop().join();
  }

  private int port() {
    return server.activeLocalPort();
  }

  static PrometheusReceiverConfig load(String yaml, Map<String, String> env) throws ConfigException {
    JsonNode root = ConfigSource.load(List.of("yaml:" + yaml), env::get);
    return ConfigBinder.bind(root.path("receivers").path("prometheus"), new PrometheusReceiverConfig(),
        "receivers::prometheus");
  }

  private PrometheusReceiverConfig staticJob(String extra) throws ConfigException {
    return load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: app
                  scrape_interval: 1m
                  static_configs:
                    - targets: ['${env:ENDPOINT}']
                      labels: {env: test}
        %s
        """.formatted(extra), Map.of("ENDPOINT", "127.0.0.1:" + port()));
  }

  /** One scrape of the config's only target, at {@code nowMs}. */
  private static final class Scraper {
    final List<ExportMetricsServiceRequest> out = new ArrayList<>();
    final ScrapeLoop loop;
    final MutableClock clock = new MutableClock();

    Scraper(PrometheusReceiverConfig config) {
      Job job = config.jobs().get(0);
      Target target = Target.populate(job, Map.of("__address__", job.config().staticConfigs.get(0).targets.get(0)),
          job.config().staticConfigs.get(0).labels);
      loop = new ScrapeLoop(job, target, new ScrapeClient(job), new ScrapeLoop.Settings(config.trimMetricSuffixes,
          "test", clock), out::add);
    }

    ExportMetricsServiceRequest scrape(long nowMs) {
      clock.now = nowMs;
      loop.scrape();
      return out.get(out.size() - 1);
    }
  }

  static final class MutableClock extends Clock {
    long now;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now);
    }
  }

  private static Metric metric(ExportMetricsServiceRequest r, String name) {
    return r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream().filter(m -> m.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " in " + r));
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> m = new java.util.TreeMap<>();
    kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
    return m;
  }

  @Test
  void textScrape_mapsTypesResourceAndUp() throws Exception {
    body.set("""
        # HELP reqs_total Requests.
        # TYPE reqs_total counter
        reqs_total{path="/a",instance="exposed"} 10
        # TYPE temp gauge
        temp 21.5
        # TYPE lat histogram
        lat_bucket{le="0.1"} 2
        lat_bucket{le="1"} 5
        lat_bucket{le="+Inf"} 6
        lat_sum 3.5
        lat_count 6
        # TYPE rpc summary
        rpc{quantile="0.5"} 0.2
        rpc{quantile="0.99"} 0.9
        rpc_sum 12
        rpc_count 40
        untyped_thing 3
        """);
    Scraper s = new Scraper(staticJob(""));
    ExportMetricsServiceRequest r = s.scrape(1_700_000_000_000L);
    assertThat(accept.get()).isEqualTo("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
    assertThat(attrs(r.getResourceMetrics(0).getResource().getAttributesList())).isEqualTo(Map.of(
        "service.name", "app", "service.instance.id", "127.0.0.1:" + port(), "server.port", String.valueOf(port()),
        "url.scheme", "http"));
    assertThat(r.getResourceMetrics(0).getScopeMetrics(0).getScope().getName()).isEqualTo(MetricsBuilder.SCOPE);
    Metric reqs = metric(r, "reqs_total");
    assertThat(reqs.getSum().getIsMonotonic()).isTrue();
    assertThat(reqs.getDescription()).isEqualTo("Requests.");
    NumberDataPoint p = reqs.getSum().getDataPoints(0);
    assertThat(p.getAsDouble()).isEqualTo(10);
    assertThat(p.getTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(p.getStartTimeUnixNano()).isZero(); // upstream no longer estimates start times
    // honor_labels false: the exposed instance is kept as exported_instance, the target's wins.
    assertThat(attrs(p.getAttributesList())).isEqualTo(Map.of("path", "/a", "env", "test",
        "exported_instance", "exposed"));
    assertThat(metric(r, "temp").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(21.5);
    var h = metric(r, "lat").getHistogram().getDataPoints(0);
    assertThat(h.getExplicitBoundsList()).containsExactly(0.1, 1.0);
    assertThat(h.getBucketCountsList()).containsExactly(2L, 3L, 1L);
    assertThat(h.getCount()).isEqualTo(6);
    assertThat(h.getSum()).isEqualTo(3.5);
    var q = metric(r, "rpc").getSummary().getDataPoints(0);
    assertThat(q.getCount()).isEqualTo(40);
    assertThat(q.getQuantileValuesList()).extracting(v -> v.getQuantile() + "=" + v.getValue())
        .containsExactly("0.5=0.2", "0.99=0.9");
    assertThat(metric(r, "untyped_thing").hasGauge()).isTrue();
    assertThat(metric(r, "up").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
    assertThat(metric(r, "scrape_samples_scraped").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(12);
    assertThat(metric(r, "scrape_series_added").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(12);
  }

  @Test
  void openMetrics_createdGivesStartTime_trimSuffixes() throws Exception {
    type.set(MediaType.parse("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    body.set("""
        # TYPE singing_duration_seconds counter
        # UNIT singing_duration_seconds seconds
        singing_duration_seconds_total 4.5
        singing_duration_seconds_created 1699999990.5
        # EOF
        """);
    Scraper s = new Scraper(staticJob("    trim_metric_suffixes: true"));
    ExportMetricsServiceRequest r = s.scrape(1_700_000_000_000L);
    Metric m = metric(r, "singing_duration");
    assertThat(m.getUnit()).isEqualTo("seconds");
    assertThat(m.getSum().getDataPoints(0).getStartTimeUnixNano()).isEqualTo(1_699_999_990_500_000_000L);
  }

  @Test
  void staleness_seriesThatDisappearAndFailedScrape() throws Exception {
    body.set("a 1\nb{x=\"1\"} 2\n");
    Scraper s = new Scraper(staticJob(""));
    s.scrape(1_000);
    body.set("a 3\n");
    ExportMetricsServiceRequest second = s.scrape(61_000);
    NumberDataPoint stale = metric(second, "b").getGauge().getDataPoints(0);
    assertThat(stale.getFlags()).isEqualTo(1);
    assertThat(stale.getTimeUnixNano()).isEqualTo(61_000_000_000L);
    assertThat(metric(second, "a").getGauge().getDataPoints(0).getFlags()).isZero();

    body.set("a{ 3\n"); // bad exposition: up 0, and the last scrape's series go stale
    ExportMetricsServiceRequest bad = s.scrape(121_000);
    assertThat(metric(bad, "up").getGauge().getDataPoints(0).getAsDouble()).isZero();
    assertThat(metric(bad, "a").getGauge().getDataPoints(0).getFlags()).isEqualTo(1);
    assertThat(s.loop.lastError()).startsWith("text format line 1:");
  }

  @Test
  void stop_marksStaleOnceAndAScrapeQueuedBeforeItWritesNothingAfter() throws Exception {
    body.set("a 1\n");
    Scraper s = new Scraper(staticJob(""));
    s.scrape(1_000);
    s.clock.now = 2_000;
    s.loop.stop();
    assertThat(s.out).hasSize(2);
    assertThat(metric(s.out.get(1), "a").getGauge().getDataPoints(0).getFlags()).isEqualTo(1);
    assertThat(metric(s.out.get(1), "up").getGauge().getDataPoints(0).getFlags()).isEqualTo(1);

    // The timer handed this scrape to a worker before the target went away: a sample after the stale marker
    // would bring the series back for Prometheus's 5 minutes of lookback.
    s.clock.now = 2_500;
    s.loop.scrape();
    s.loop.stop();
    assertThat(s.out).hasSize(2);
  }

  @Test
  void failures_statusSampleLimitAndContentType() throws Exception {
    body.set("a 1\nb 2\nc 3\n");
    Scraper limited = new Scraper(load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: app
                  sample_limit: 2
                  static_configs: [{targets: ['127.0.0.1:%d']}]
        """.formatted(port()), Map.of()));
    assertThat(metric(limited.scrape(1_000), "up").getGauge().getDataPoints(0).getAsDouble()).isZero();
    assertThat(limited.loop.lastError()).isEqualTo("sample limit exceeded (limit: 2)");

    Scraper missing = new Scraper(load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: app
                  metrics_path: /missing
                  static_configs: [{targets: ['127.0.0.1:%d']}]
        """.formatted(port()), Map.of()));
    missing.scrape(1_000);
    assertThat(missing.loop.lastError()).isEqualTo("server returned HTTP status 404 Not Found");

    type.set(MediaType.JSON);
    Scraper json = new Scraper(staticJob(""));
    json.scrape(1_000);
    assertThat(json.loop.lastError()).startsWith("received unsupported Content-Type");
  }

  @Test
  void metricRelabel_dropAndRename() throws Exception {
    body.set("go_gc_duration_seconds_count 5\nhaproxy_frontend_x{proxy=\"fe1\"} 1\n");
    Scraper s = new Scraper(load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: haproxy
                  static_configs: [{targets: ['127.0.0.1:%d']}]
                  metric_relabel_configs:
                    - source_labels: [ __name__ ]
                      regex: 'go_gc_duration_seconds.*'
                      action: drop
                    - source_labels: [ __name__, proxy ]
                      regex: "haproxy_frontend.+;(.+)"
                      target_label: frontend
                      replacement: "$$1"
                    - regex: proxy
                      action: labeldrop
        """.formatted(port()), Map.of()));
    ExportMetricsServiceRequest r = s.scrape(1_000);
    assertThat(r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()).extracting(Metric::getName)
        .doesNotContain("go_gc_duration_seconds_count");
    assertThat(attrs(metric(r, "haproxy_frontend_x").getGauge().getDataPoints(0).getAttributesList()))
        .isEqualTo(Map.of("frontend", "fe1"));
    assertThat(metric(r, "scrape_samples_post_metric_relabeling").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
  }

  @Test
  void config_adotShapesAndRefusals() throws Exception {
    PrometheusReceiverConfig adot = load("""
        receivers:
          prometheus:
            config:
              global:
                scrape_interval: 20s
                scrape_timeout: 10s
              scrape_configs:
                - job_name: "otel-collector"
                  static_configs:
                    - targets: ['${env:AWS_PROMETHEUS_SCRAPING_ENDPOINT}']
                - job_name: relabel
                  relabel_configs:
                    - source_labels: [ __address__ ]
                      regex: ([^:]+)(?::\\d+)?
                      replacement: $${1}:2020
                      target_label: __address__
                  static_configs: [{targets: ['10.1.2.3:8080']}]
        """, Map.of("AWS_PROMETHEUS_SCRAPING_ENDPOINT", "localhost:8888"));
    List<Job> jobs = adot.jobs();
    assertThat(jobs.get(0).interval()).hasSeconds(20);
    Target t = Target.populate(jobs.get(1), Map.of("__address__", "10.1.2.3:8080"), Map.of());
    assertThat(t.url()).isEqualTo("http://10.1.2.3:2020/metrics");
    assertThat(t.labels()).isEqualTo(Map.of("job", "relabel", "instance", "10.1.2.3:2020"));

    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: a
                  scrape_interval: 5s
                  scrape_timeout: 10s
                  static_configs: [{targets: [x:1]}]
        """, Map.of())).hasMessage("receivers::prometheus: config::scrape_configs::0: scrape timeout greater than scrape"
        + " interval for scrape config with job name \"a\" (10s > 5s)");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - {job_name: a, static_configs: [{targets: [x:1]}]}
                - {job_name: a, static_configs: [{targets: [x:2]}]}
        """, Map.of())).hasMessageContaining("found multiple scrape configs with job name \"a\"");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: a
                  static_configs: [{targets: [x:1]}]
                  relabel_configs: [{action: keep, source_labels: [a], regex: '(a'}]
        """, Map.of())).hasMessageStartingWith("receivers::prometheus: config::scrape_configs::0::relabel_configs::0:"
        + " error parsing regexp:");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              scrape_configs:
                - {job_name: a, static_config: [{targets: [x:1]}]}
        """, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key \"static_config\"");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              remote_write: [{url: 'http://x'}]
              scrape_configs: [{job_name: a, static_configs: [{targets: [x:1]}]}]
        """, Map.of())).hasMessageContaining("unsupported features:");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              scrape_configs: [{job_name: a, ec2_sd_configs: [{region: us-east-1}]}]
        """, Map.of())).hasMessageContaining("ec2_sd_configs is not supported by Kansoku");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            target_allocator: {endpoint: 'http://ta', collector_id: c}
            config:
              scrape_configs: [{job_name: a, static_configs: [{targets: [x:1]}]}]
        """, Map.of())).hasMessageContaining("target_allocator is not supported by Kansoku");
    assertThatThrownBy(() -> load("""
        receivers:
          prometheus:
            config:
              scrape_configs: [{job_name: a, static_configs: [{targets: ['http://x:1/metrics']}]}]
        """, Map.of())).hasMessageContaining("\"http://x:1/metrics\" is not a valid hostname");
  }

  @Test
  void receiver_aKubernetesDiscoveryThatCannotConnect_isLeftOut_andTheOtherJobsScrape() throws Exception {
    body.set("a 1\n");
    List<ExportMetricsServiceRequest> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    PrometheusReceiverConfig config = staticJob("""
                - job_name: pods
                  kubernetes_sd_configs:
                    - role: pod
                      kubeconfig_file: /nonexistent/kubeconfig
        """);
    PrometheusReceiver receiver = new PrometheusReceiver("prometheus", config.jobs(),
        new ScrapeLoop.Settings(false, "test", Clock.systemUTC()), false, got::add);
    receiver.start(null);
    try {
      long deadline = System.currentTimeMillis() + 10_000;
      while (got.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(got).isNotEmpty();
      assertThat(receiver.manager().loops().get("pods")).isNullOrEmpty();
    } finally {
      receiver.shutdown();
    }
  }

  @Test
  void receiver_startScrapesAndStopsTargetsMarkedStale() throws Exception {
    body.set("a 1\n");
    List<ExportMetricsServiceRequest> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    PrometheusReceiverConfig config = staticJob("");
    PrometheusReceiver receiver = new PrometheusReceiver("prometheus", config.jobs(),
        new ScrapeLoop.Settings(false, "test", Clock.systemUTC()), false, got::add);
    receiver.start(null);
    try {
      long deadline = System.currentTimeMillis() + 10_000;
      while (got.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(got).isNotEmpty();
      assertThat(metric(got.get(0), "a").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
      // The static group goes away: the loop stops and marks its series stale.
      receiver.manager().update("app", 0, List.of(new dev.kansoku.prometheus.discovery.TargetGroup("0", List.of(),
          Map.of())));
      while (got.size() < 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(metric(got.get(1), "a").getGauge().getDataPoints(0).getFlags()).isEqualTo(1);
      assertThat(receiver.manager().loops().get("app")).isEmpty();
    } finally {
      receiver.shutdown();
    }
  }
}
