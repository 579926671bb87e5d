package dev.kansoku.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code parse-throughput}: how fast one core merely parses pooled OTLP protobuf export requests —
 * the ceiling a receiver's per-core work is measured against.
 */
final class ParseThroughputCommand {
  static final String HELP = """
      usage: parse-throughput [flags]
      On one thread, parses the same pooled OTLP protobuf export requests (e.g.
      ExportTraceServiceRequest.parseFrom) over and over after a warm-up, and prints items/s,
      requests/s and MB/s per CPU-second of that thread (what one core does when it has the
      core; the wall-clock rate and the thread's share of a core are printed too).

        --signal traces|logs|metrics   default traces
        --batch N        items per request (default 512)
        --pool N         distinct requests (default 64)
        --warmup D       at least this long (default 5s), then until two 1-s windows agree within 5%
        --duration D     default 10s
      """;

  static final Set<String> FLAGS = Set.of("signal", "batch", "pool", "warmup", "duration");

  /**
   * A parse measurement on one thread, in one-second windows. Rates are per CPU-second of the
   * parsing thread — what one core parses while it has the core — because on a shared machine the
   * thread is descheduled part of the time. The headline {@code itemsPerSecond} is the median
   * window (other processes' bursts show up as outlying windows, not as a shifted figure);
   * {@code meanItemsPerSecond} is the whole phase, {@code wallItemsPerSecond} the wall-clock rate
   * and {@code cpuShare} the part of the wall time the thread ran.
   */
  record Result(OtlpSignal signal, double itemsPerSecond, double bytesPerItem, double itemsPerRequest,
      double meanItemsPerSecond, double wallItemsPerSecond, double cpuShare, double minWindow, double maxWindow,
      double warmupSeconds) {
    void print(String indent) {
      System.out.printf(Locale.ROOT, "%sparse %s: %,.0f %s/s, %,.1f requests/s, %.1f MB/s (1 thread, per CPU-second,"
          + " median 1-s window)%n", indent, signal.configName(), itemsPerSecond, signal.itemName(),
          itemsPerSecond / itemsPerRequest, itemsPerSecond * bytesPerItem / 1e6);
      System.out.printf(Locale.ROOT, "%s  windows min %,.0f, max %,.0f, mean %,.0f %s/s; wall clock %,.0f/s with the"
          + " thread on a core %.0f%% of the time; warm-up took %.0f s%n", indent, minWindow, maxWindow,
          meanItemsPerSecond, signal.itemName(), wallItemsPerSecond, cpuShare * 100, warmupSeconds);
    }
  }

  private ParseThroughputCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    OtlpSignal signal = OtlpSignal.byName(flags.string("signal", "traces"));
    int batch = flags.integer("batch", 512, 1);
    int poolSize = flags.integer("pool", 64, 1);
    Duration warmup = flags.duration("warmup", Duration.ofSeconds(5));
    Duration duration = flags.duration("duration", Duration.ofSeconds(10));
    System.out.println("machine: " + Machine.describe());
    RequestPool pool = LoadgenCommand.buildPool(List.of(signal), Protocol.HTTP_PROTO, poolSize, batch,
        System.nanoTime());
    measure(pool, warmup, duration).print("");
    System.out.printf(Locale.ROOT, "load average %.2f at the end%n", Machine.loadAverage());
  }

  /**
   * Parses the pool's protobuf bodies round-robin on the calling thread: {@code warmup} untimed,
   * then {@code duration} timed. The pool must hold protobuf bodies (gRPC-framed or not, not JSON)
   * of one signal.
   */
  static Result measure(RequestPool pool, Duration warmup, Duration duration) throws IOException {
    List<RequestPool.Request> reqs = new ArrayList<>(pool.requests());
    OtlpSignal signal = reqs.get(0).signal();
    long warmupNanos = warmUp(reqs, signal, warmup.toNanos());
    long windowNanos = Math.min(1_000_000_000L, Math.max(1, duration.toNanos()));
    List<Double> windows = new ArrayList<>();
    long[] total = new long[5];
    while (total[0] < duration.toNanos()) {
      long[] r = loop(reqs, signal, windowNanos);
      windows.add(r[1] / (r[4] / 1e9));
      for (int i = 0; i < total.length; i++) {
        total[i] += r[i];
      }
    }
    Collections.sort(windows);
    double cpuSecs = total[4] / 1e9;
    double wallSecs = total[0] / 1e9;
    return new Result(signal, windows.get(windows.size() / 2), total[3] / (double) total[1],
        total[1] / (double) total[2], total[1] / cpuSecs, total[1] / wallSecs, cpuSecs / wallSecs, windows.get(0),
        windows.get(windows.size() - 1), warmupNanos / 1e9);
  }

  /**
   * Parses for at least {@code minNanos}, then on in 1-second windows until two in a row agree
   * within 5% per CPU-second (the JIT has finished with the parser; on a busy machine that takes
   * longer), at most 30 s more. Returns the time spent.
   */
  private static long warmUp(List<RequestPool.Request> reqs, OtlpSignal signal, long minNanos) throws IOException {
    long start = System.nanoTime();
    loop(reqs, signal, minNanos);
    double previous = 0;
    for (int i = 0; i < 30; i++) {
      long[] r = loop(reqs, signal, 1_000_000_000L);
      double rate = r[1] / (r[4] / 1e9);
      if (previous > 0 && Math.abs(rate - previous) <= 0.05 * previous) {
        break;
      }
      previous = rate;
    }
    return System.nanoTime() - start;
  }

  /** Returns {elapsed nanos, items, requests, bytes, thread CPU nanos}. */
  private static long[] loop(List<RequestPool.Request> reqs, OtlpSignal signal, long nanos)
      throws IOException {
    long cpu0 = Cpu.currentThread();
    long start = System.nanoTime();
    long items = 0;
    long requests = 0;
    long bytes = 0;
    long sink = 0;
    int i = 0;
    long now;
    do {
      // Check the clock every 16 requests only; one parse takes well over a clock read.
      for (int k = 0; k < 16; k++) {
        RequestPool.Request req = reqs.get(i);
        sink += signal.parseResources(req.body(), req.messageOffset()) > 0 ? 1 : 0;
        items += req.items();
        bytes += req.body().length - req.messageOffset();
        requests++;
        i = i + 1 == reqs.size() ? 0 : i + 1;
      }
      now = System.nanoTime();
    } while (now - start < nanos);
    if (sink != requests) {
      throw new IllegalStateException("parsed an empty request");
    }
    long cpu = Math.max(1, Cpu.currentThread() - cpu0);
    return new long[] {now - start, items, requests, bytes, cpu};
  }
}
