package dev.kansoku.bench;

import dev.kansoku.pipeline.Signal;
import dev.kansoku.prometheus.remotewrite.RemoteWriteBodies;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code prometheus-remote-write}: one thread turning dice-app OTLP metrics into the snappy-compressed
 * remote write bodies the prometheusremotewrite exporter sends, per CPU-second.
 */
final class PrometheusRemoteWriteCommand {
  static final String HELP = """
      usage: prometheus-remote-write [flags]
      On one thread, translates pooled dice-app metrics requests to Prometheus remote write 1.0
      (series, protobuf encoding, snappy) as the prometheusremotewrite exporter does, after a warm-up,
      and prints samples/s, data points/s and compressed bytes/s per CPU-second of that thread,
      with resource_to_telemetry_conversion off (the default) and on (ADOT's AMP configurations).

        --batch N        data points per request (default 512)
        --pool N         distinct requests (default 32)
        --warmup D       default 10s per setting
        --duration D     default 10s per setting
      """;

  static final Set<String> FLAGS = Set.of("batch", "pool", "warmup", "duration");

  private PrometheusRemoteWriteCommand() {}

  static void run(String[] args) {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    int batch = flags.integer("batch", 512, 1);
    int poolSize = flags.integer("pool", 32, 1);
    Duration warmup = flags.duration("warmup", Duration.ofSeconds(10));
    Duration duration = flags.duration("duration", Duration.ofSeconds(10));
    System.out.println("machine: " + Machine.describe());
    DiceTelemetry dice = new DiceTelemetry(42, 8);
    List<ExportMetricsServiceRequest> pool = new ArrayList<>();
    for (int i = 0; i < poolSize; i++) {
      pool.add(dice.metrics(batch));
    }
    for (boolean r2t : new boolean[] {false, true}) {
      RemoteWriteBodies bodies = new RemoteWriteBodies(r2t);
      loop(bodies, pool, warmup.toNanos());
      long cpu0 = Cpu.currentThread();
      long[] r = loop(bodies, pool, duration.toNanos());
      double cpuSeconds = (Cpu.currentThread() - cpu0) / 1e9;
      System.out.printf(Locale.ROOT, "resource_to_telemetry_conversion %-5s: %,.0f samples/s from %,.0f data points/s,"
          + " %,.1f MB/s snappy (1 thread, per CPU-second; %.1f s of CPU)%n", r2t, r[0] / cpuSeconds,
          r[1] / cpuSeconds, r[2] / cpuSeconds / 1e6, cpuSeconds);
    }
    System.out.printf(Locale.ROOT, "load average %.2f at the end%n", Machine.loadAverage());
  }

  /** Returns {samples, data points, compressed bytes} after translating round-robin for {@code nanos}. */
  private static long[] loop(RemoteWriteBodies bodies, List<ExportMetricsServiceRequest> pool, long nanos) {
    long end = System.nanoTime() + nanos;
    long samples = 0;
    long points = 0;
    long bytes = 0;
    int i = 0;
    while (System.nanoTime() < end) {
      ExportMetricsServiceRequest req = pool.get(i);
      RemoteWriteBodies.Bodies b = bodies.of(req);
      samples += b.samples();
      points += Signal.METRICS.count(req);
      for (byte[] body : b.bodies()) {
        bytes += body.length;
      }
      i = i + 1 == pool.size() ? 0 : i + 1;
    }
    return new long[] {samples, points, bytes};
  }
}
