package dev.kansoku.bench;

import dev.kansoku.prometheus.textparse.ExpositionException;
import dev.kansoku.prometheus.textparse.ExpositionParser;
import dev.kansoku.prometheus.textparse.Metadata;
import dev.kansoku.prometheus.textparse.SampleSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** prometheus-parse: the prometheus receiver's exposition parser on one thread, over a realistic body. */
final class PrometheusParseCommand {
  static final String HELP = """
      prometheus-parse [--series N] [--format text|openmetrics] [--warmup 5s] [--duration 10s]
        Parses a generated exposition of N series (default 10000: counters and gauges with 3-4 labels,
        histograms with 10 buckets, as a busy service exposes) again and again on one thread, with the
        receiver's parser and one parser kept across scrapes as a scrape loop keeps it; prints samples/s
        and MB/s.""";
  static final Set<String> FLAGS = Set.of("series", "format", "warmup", "duration");

  private PrometheusParseCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    int series = flags.integer("series", 10_000, 1);
    boolean om = flags.string("format", "text").equals("openmetrics");
    Duration warmup = flags.duration("warmup", Duration.ofSeconds(5));
    Duration duration = flags.duration("duration", Duration.ofSeconds(10));
    byte[] body = exposition(series, om).getBytes(StandardCharsets.UTF_8);
    System.out.println("machine: " + Machine.describe());
    ExpositionParser parser = new ExpositionParser();
    long[] samples = {0};
    SampleSink sink = new SampleSink() {
      @Override
      public void metadata(String name, Metadata metadata) {}

      @Override
      public void sample(String name, String[] labels, int labelCount, double value, long timestampMs) {
        samples[0]++;
      }

      @Override
      public void created(String family, String[] labels, int labelCount, double createdSeconds) {}
    };
    loop(parser, body, om, sink, warmup.toNanos());
    samples[0] = 0;
    long start = System.nanoTime();
    int parses = loop(parser, body, om, sink, duration.toNanos());
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "prometheus-parse %s: %,d samples per body (%,d bytes); %,.0f samples/s, %.1f MB/s,"
        + " %.1f bodies/s (1 thread, wall clock)%n", om ? "openmetrics" : "text", samples[0] / Math.max(1, parses),
        body.length, samples[0] / seconds, parses * (double) body.length / seconds / 1e6, parses / seconds);
  }

  private static int loop(ExpositionParser parser, byte[] body, boolean om, SampleSink sink, long nanos)
      throws ExpositionException {
    long end = System.nanoTime() + nanos;
    int n = 0;
    while (System.nanoTime() < end) {
      parser.parse(body, body.length, om, sink);
      n++;
    }
    return n;
  }

  /** About {@code series} series: a quarter counters, a quarter gauges, the rest histogram series. */
  static String exposition(int series, boolean om) {
    StringBuilder b = new StringBuilder(series * 90);
    String[] methods = {"GET", "POST", "PUT", "DELETE"};
    int counters = series / 4;
    b.append("# HELP http_server_requests Requests served.\n# TYPE http_server_requests counter\n");
    for (int i = 0; i < counters; i++) {
      b.append("http_server_requests").append(om ? "_total" : "").append("{method=\"").append(methods[i % 4])
          .append("\",route=\"/api/v1/items/").append(i / 8).append("\",status=\"").append(200 + (i % 8) * 50)
          .append("\"} ").append(i * 17L).append('\n');
    }
    b.append("# HELP jvm_memory_used_bytes Memory in use.\n# TYPE jvm_memory_used_bytes gauge\n");
    for (int i = 0; i < series / 4; i++) {
      b.append("jvm_memory_used_bytes{area=\"heap\",id=\"pool-").append(i).append("\",instance_id=\"i-0abc\"} ")
          .append(1.5e8 + i * 1024.25).append('\n');
    }
    b.append("# HELP rpc_latency_seconds RPC latency.\n# TYPE rpc_latency_seconds histogram\n");
    String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    for (int h = 0; h < (series - 2 * (series / 4)) / 12; h++) {
      for (int j = 0; j < les.length; j++) {
        b.append("rpc_latency_seconds_bucket{service=\"svc-").append(h).append("\",le=\"").append(les[j])
            .append("\"} ").append(h + j * 3).append('\n');
      }
      b.append("rpc_latency_seconds_sum{service=\"svc-").append(h).append("\"} ").append(h * 0.37).append('\n');
      b.append("rpc_latency_seconds_count{service=\"svc-").append(h).append("\"} ").append(h + 27).append('\n');
    }
    if (om) {
      b.append("# EOF\n");
    }
    return b.toString();
  }
}
