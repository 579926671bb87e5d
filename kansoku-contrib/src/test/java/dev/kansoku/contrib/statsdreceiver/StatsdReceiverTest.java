package dev.kansoku.contrib.statsdreceiver;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The receiver with real sockets: UDP datagrams and TCP streams in, OTLP metrics out of a capture exporter. */
class StatsdReceiverTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static String yaml(String statsd) {
    return """
        receivers:
          statsd:
        %s
        exporters:
          capture:
        service:
          pipelines:
            metrics:
              receivers: [statsd]
              exporters: [capture]
        """.formatted(statsd.stripIndent().indent(4).stripTrailing());
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  private static int freeTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  /** Metrics (by name) the exporter received, once {@code expected} of them have arrived or ten seconds passed. */
  private static List<Metric> await(Supplier<List<ExportMetricsServiceRequest>> received, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Metric> metrics = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      metrics.clear();
      received.get().forEach(r -> r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
          .forEach(sm -> metrics.addAll(sm.getMetricsList()))));
      if (metrics.size() >= expected) {
        break;
      }
      Thread.sleep(20);
    }
    return metrics;
  }

  @Test
  void udpDatagrams_areAggregatedPerInterval_malformedLinesDropped() throws Exception {
    int port = freeUdpPort();
    try (TestService s = TestService.start(yaml("endpoint: 127.0.0.1:" + port + "\naggregation_interval: 100ms"));
        DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      byte[] data = "requests:1|c|#route:/rolldice\nrequests:2|c|#route:/rolldice\nnot a line\nheap:512|g\n"
          .getBytes(StandardCharsets.UTF_8);
      client.send(new DatagramPacket(data, data.length, LOOPBACK, port));
      List<Metric> metrics = await(() -> s.received(Signal.METRICS), 2);
      assertThat(metrics).extracting(Metric::getName).containsExactly("heap", "requests");
      assertThat(metrics.get(0).getGauge().getDataPoints(0).getAsDouble()).isEqualTo(512);
      assertThat(metrics.get(1).getSum().getDataPoints(0).getAsInt()).isEqualTo(3);
      assertThat(metrics.get(1).getSum().getDataPoints(0).getAttributesList()).isEqualTo(attrs("route", "/rolldice"));
      assertThat(s.received(Signal.METRICS).get(0).getResourceMetrics(0).getScopeMetrics(0).getScope().getName())
          .isEqualTo(StatsdAggregator.SCOPE);
    }
  }

  @Test
  void tcpStreams_areReadLineByLine() throws Exception {
    int port = freeTcpPort();
    try (TestService s = TestService.start(yaml("endpoint: 127.0.0.1:" + port
        + "\ntransport: tcp\naggregation_interval: 100ms"));
        Socket client = new Socket(LOOPBACK, port)) {
      OutputStream out = client.getOutputStream();
      out.write("latency:5|ms\r\nlatency:7|ms\nlat".getBytes(StandardCharsets.UTF_8));
      out.flush();
      out.write("ency:9|ms\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      List<Metric> metrics = await(() -> s.received(Signal.METRICS), 3);
      assertThat(metrics).extracting(m -> m.getGauge().getDataPoints(0).getAsDouble()).containsExactly(5.0, 7.0, 9.0);
    }
  }

  private static StatsdReceiver receiver(String yaml, DataConsumer<ExportMetricsServiceRequest> next,
      Admission admission) throws ConfigException {
    StatsdReceiverConfig config = (StatsdReceiverConfig) TestService.load(yaml(yaml)).config(ComponentKind.RECEIVER,
        ComponentId.parse("statsd"));
    ComponentContext ctx = new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse("statsd");
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    };
    return (StatsdReceiver) new StatsdReceiverFactory().create(config, ctx,
        new Consumers(Map.of(Signal.METRICS, next), Map.of(Signal.METRICS, admission)));
  }

  @Test
  void malformedLines_areCounted_andRefusedDatagramsDropped() throws Exception {
    List<ExportMetricsServiceRequest> out = new CopyOnWriteArrayList<>();
    boolean[] full = {false};
    Admission gate = bytes -> {
      if (full[0]) {
        throw ConsumeException.overloaded("memory limit reached", Duration.ofSeconds(1));
      }
      return Admission.Permit.NONE;
    };
    StatsdReceiver r = receiver("endpoint: 127.0.0.1:0", out::add, gate);
    byte[] lines = "a:1|c\nb:x|c\n\n:1|c\nc:1|q\nd:2|g".getBytes(StandardCharsets.UTF_8);
    r.handle(lines, lines.length, "1.2.3.4:5", false);
    assertThat(r.lines()).isEqualTo(2);
    assertThat(r.rejected()).isEqualTo(3);
    full[0] = true;
    r.handle(lines, lines.length, "1.2.3.4:5", false);
    assertThat(r.refused()).isEqualTo(1);
    assertThat(r.lines()).isEqualTo(2);
    r.flush();
    assertThat(Signal.METRICS.count(out.get(0))).isEqualTo(2);
  }

  @Test
  void shutdown_deliversTheIntervalInProgress() throws Exception {
    List<ExportMetricsServiceRequest> out = new CopyOnWriteArrayList<>();
    StatsdReceiver r = receiver("endpoint: 127.0.0.1:0\naggregation_interval: 1h", out::add, Admission.ALWAYS);
    r.start(null);
    int port = r.port();
    assertThat(port).isPositive();
    byte[] data = "jobs:4|c".getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.send(new DatagramPacket(data, data.length, LOOPBACK, port));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (r.lines() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(out).isEmpty();
    r.shutdown();
    r.shutdown();
    assertThat(r.port()).isEqualTo(-1);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0).getAsInt())
        .isEqualTo(4);
  }

  @Test
  void ipOnlyAggregation_andIgnoreHost_mergeSenders() throws Exception {
    for (String option : List.of("enable_ip_only_aggregation: true", "ignore_host: true")) {
      List<ExportMetricsServiceRequest> out = new CopyOnWriteArrayList<>();
      StatsdReceiver r = receiver("endpoint: 127.0.0.1:0\n" + option, out::add, Admission.ALWAYS);
      r.start(null);
      try (DatagramSocket a = new DatagramSocket(0, LOOPBACK); DatagramSocket b = new DatagramSocket(0, LOOPBACK)) {
        a.send(new DatagramPacket("test.metric:1|c".getBytes(), 15, LOOPBACK, r.port()));
        b.send(new DatagramPacket("test.metric:3|c".getBytes(), 15, LOOPBACK, r.port()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (r.lines() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      }
      r.shutdown();
      assertThat(out).as(option).hasSize(1);
      assertThat(out.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0)
          .getAsInt()).as(option).isEqualTo(4);
    }
  }

  private static void refused(String statsd, String message) {
    assertThatThrownBy(() -> TestService.load(yaml(statsd))).isInstanceOf(ConfigException.class)
        .hasMessage("receivers::statsd: " + message);
  }

  @Test
  void configuration_defaultsAndUpstreamsChecks() throws Exception {
    StatsdReceiverConfig d = new StatsdReceiverFactory().createDefaultConfig();
    assertThat(List.of(d.endpoint, d.transport, d.aggregationInterval)).containsExactly("localhost:8125", "udp",
        Duration.ofSeconds(60));
    assertThat(StatsdReceiverFactory.settings(d).timers().method()).isEqualTo("gauge");
    StatsdReceiverConfig c = (StatsdReceiverConfig) TestService.load(yaml("""
        endpoint: 0.0.0.0:8125
        aggregation_interval: 70s
        enable_metric_type: true
        is_monotonic_counter: true
        timer_histogram_mapping:
          - {statsd_type: timing, observer_type: histogram, histogram: {max_size: 100}}
          - {statsd_type: distribution, observer_type: summary, summary: {percentiles: [0, 50, 99.9]}}
        """)).config(ComponentKind.RECEIVER, ComponentId.parse("statsd"));
    assertThat(c.timerHistogramMapping).as("a list given replaces the default").hasSize(2);
    assertThat(StatsdReceiverFactory.settings(c).histograms().percentiles()).containsExactly(0.0, 50.0, 99.9);
    refused("aggregation_interval: 0s", "aggregation_interval must be a positive duration");
    refused("transport: unixgram", "transport: unsupported transport \"unixgram\" (expected udp, udp4, udp6, tcp, tcp4"
        + " or tcp6; Kansoku has no unixgram)");
    refused("counter_type: double", "counter_type: \"double\" (expected int, float or stochastic_int)");
    refused("timer_histogram_mapping: [{statsd_type: counter, observer_type: gauge}]", "timer_histogram_mapping::0:"
        + " statsd_type is not a supported mapping for histogram and timing metrics: counter");
    refused("timer_histogram_mapping: [{statsd_type: timing, observer_type: disabled}]", "timer_histogram_mapping::0:"
        + " observer_type is not supported for histogram and timing metrics: disabled");
    refused("timer_histogram_mapping: [{statsd_type: timing}]",
        "timer_histogram_mapping::0: must specify object id for all TimerHistogramMappings");
    refused("timer_histogram_mapping: [{statsd_type: timing, observer_type: histogram, histogram: {max_size: 1}}]",
        "timer_histogram_mapping::0: histogram max_size out of range: 1");
    refused("timer_histogram_mapping: [{statsd_type: timing, observer_type: gauge, histogram: {max_size: 100}}]",
        "timer_histogram_mapping::0: histogram configuration requires observer_type: histogram");
    refused("timer_histogram_mapping: [{statsd_type: h, observer_type: summary}]", "timer_histogram_mapping::0:"
        + " statsd_type is not a supported mapping for histogram and timing metrics: h");
    refused("timer_histogram_mapping: [{statsd_type: timing, observer_type: summary, summary: {percentiles: [101]}}]",
        "timer_histogram_mapping::0: summary percentiles out of [0, 100] range: 101");
    refused("timer_histogram_mapping: [{statsd_type: timing, observer_type: gauge, summary: {percentiles: [50]}}]",
        "timer_histogram_mapping::0: summary configuration requires observer_type: summary");
    refused("endpoint: nowhere", "endpoint: \"nowhere\" (expected: host:port)");
  }
}
