package dev.kansoku.bench;

import dev.kansoku.aws.emf.AwsEmfExporterConfig;
import dev.kansoku.aws.emf.EmfTranslator;
import dev.kansoku.aws.xray.XrayOptions;
import dev.kansoku.aws.xray.XraySegments;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * {@code translate-throughput}: one thread turning dice-app OTLP into what the AWS exporters send —
 * X-Ray segment documents (awsxray) and EMF log events (awsemf) — per CPU-second.
 */
final class TranslateThroughputCommand {
  static final String HELP = """
      usage: translate-throughput [flags]
      On one thread, translates pooled dice-app requests with the awsxray translator (spans ->
      X-Ray segment documents) and the awsemf translator (metrics -> EMF log events, with the
      seed's NoDimensionRollup and with the default ZeroAndSingleDimensionRollup), after a warm-up,
      and prints documents/s and events/s per CPU-second of that thread.

        --batch N        items per request (default 512)
        --pool N         distinct requests (default 32)
        --warmup D       default 10s per translator
        --duration D     default 10s per translator
      """;

  static final Set<String> FLAGS = Set.of("batch", "pool", "warmup", "duration");

  private TranslateThroughputCommand() {}

  static void run(String[] args) {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    int batch = flags.integer("batch", 512, 1);
    int poolSize = flags.integer("pool", 32, 1);
    Duration warmup = flags.duration("warmup", Duration.ofSeconds(10));
    Duration duration = flags.duration("duration", Duration.ofSeconds(10));
    System.out.println("machine: " + Machine.describe());
    DiceTelemetry dice = new DiceTelemetry(42, 8);
    List<ExportTraceServiceRequest> traces = new ArrayList<>();
    List<ExportMetricsServiceRequest> metrics = new ArrayList<>();
    for (int i = 0; i < poolSize; i++) {
      traces.add(dice.traces(batch));
      metrics.add(dice.metrics(batch));
    }
    measure("awsxray  spans -> segment documents", "documents", traces,
        r -> XraySegments.translate(r, XrayOptions.DEFAULT).size(), r -> r.getResourceSpansList().stream()
            .mapToInt(rs -> rs.getScopeSpansList().stream().mapToInt(ss -> ss.getSpansCount()).sum()).sum(),
        "spans", warmup, duration);
    for (String rollup : List.of("NoDimensionRollup", "ZeroAndSingleDimensionRollup")) {
      AwsEmfExporterConfig config = new AwsEmfExporterConfig();
      config.dimensionRollupOption = rollup;
      // One translator for the whole run, as in the exporter: cumulative sums become deltas against the
      // previous request of the same series.
      EmfTranslator emf = new EmfTranslator(config);
      measure("awsemf   metrics -> EMF events (" + rollup + ")", "events", metrics,
          r -> emf.translate(r).size(), r -> dev.kansoku.pipeline.Signal.METRICS.count(r), "data points", warmup,
          duration);
    }
    System.out.printf(Locale.ROOT, "load average %.2f at the end%n", Machine.loadAverage());
  }

  private static <T> void measure(String title, String outputName, List<T> pool, ToIntFunction<T> translate,
      ToIntFunction<T> inputs, String inputName, Duration warmup, Duration duration) {
    loop(pool, translate, inputs, warmup.toNanos());
    long cpu0 = Cpu.currentThread();
    long[] r = loop(pool, translate, inputs, duration.toNanos());
    double cpuSeconds = (Cpu.currentThread() - cpu0) / 1e9;
    System.out.printf(Locale.ROOT, "%s: %,.0f %s/s from %,.0f %s/s (1 thread, per CPU-second; %.1f s of CPU)%n",
        title, r[0] / cpuSeconds, outputName, r[1] / cpuSeconds, inputName, cpuSeconds);
  }

  /** Returns {outputs, inputs} after translating round-robin for {@code nanos}. */
  private static <T> long[] loop(List<T> pool, ToIntFunction<T> translate, ToIntFunction<T> inputs, long nanos) {
    long end = System.nanoTime() + nanos;
    long outputs = 0;
    long in = 0;
    int i = 0;
    while (System.nanoTime() < end) {
      T req = pool.get(i);
      outputs += translate.applyAsInt(req);
      in += inputs.applyAsInt(req);
      i = i + 1 == pool.size() ? 0 : i + 1;
    }
    return new long[] {outputs, in};
  }
}
