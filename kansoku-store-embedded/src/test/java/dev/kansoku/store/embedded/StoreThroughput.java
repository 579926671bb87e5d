package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.LogQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A measurement, not a test: writes dice-like traces (3 spans each) and log lines (2 per trace) with
 * two writer threads through the public writers, then reports rates, bytes on disk, lookup latency
 * and RSS. Run (see README.md):
 * {@code java -cp <test classpath> dev.kansoku.store.embedded.StoreThroughput [spans] [dir]}.
 * Generation of the records happens in the writer threads and is included in the rates.
 */
public final class StoreThroughput {
  private StoreThroughput() {}

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("kansoku-store-bench");
    int traces = spans / 3;
    int writers = 2;
    int batchTraces = 300;
    long t0 = (System.currentTimeMillis() - 3_600_000L) * 1_000_000L; // inside the default 7-day retention
    try (EmbeddedStorage s = EmbeddedStorage.builder(dir).groupRows(Integer.getInteger("groupRows", 2048)).build()) {
      s.open();
      double spanRate = run(writers, traces, batchTraces, (from, to) -> {
        List<SpanRecord> batch = new ArrayList<>((to - from) * 3);
        for (int n = from; n < to; n++) {
          batch.addAll(Fixtures.trace(n, t0 + n * 300_000L));
        }
        s.spanWriter().write(batch);
        return batch.size();
      });
      double logRate = run(writers, traces, batchTraces * 2, (from, to) -> {
        List<LogRecord> batch = new ArrayList<>((to - from) * 2);
        for (int n = from; n < to; n++) {
          batch.addAll(Fixtures.logs(n, t0 + n * 300_000L));
        }
        s.logWriter().write(batch);
        return batch.size();
      });
      long flushStart = System.nanoTime();
      s.flush();
      double flushMs = (System.nanoTime() - flushStart) / 1e6;
      long spanBytes = bytes(dir, "-spans.blk");
      long logBytes = bytes(dir, "-logs.blk");
      Random rnd = new Random(1);
      long[] byId = new long[2000];
      long[] logsOf = new long[2000];
      for (int i = 0; i < byId.length; i++) {
        int n = rnd.nextInt(traces);
        long a = System.nanoTime();
        if (s.traceReader().trace(Fixtures.traceId(n)).orElseThrow().spans().size() != 3) {
          throw new AssertionError("trace " + n);
        }
        long b = System.nanoTime();
        if (s.logSearch().search(LogQuery.builder().traceId(Fixtures.traceId(n)).build()).entries().size() != 2) {
          throw new AssertionError("logs of " + n);
        }
        long c = System.nanoTime();
        byId[i] = b - a;
        logsOf[i] = c - b;
      }
      long w0 = System.nanoTime();
      int hits = s.logSearch().search(LogQuery.builder().text("player4242").limit(10).build()).entries().size();
      double wordMs = (System.nanoTime() - w0) / 1e6;
      System.out.printf("spans=%d logs=%d writers=%d dir=%s%n", traces * 3, traces * 2, writers, dir);
      System.out.printf("ingest: %.0f spans/s, %.0f log lines/s (WAL fsync group commit; head flushes in background)%n",
          spanRate, logRate);
      System.out.printf("final flush: %.0f ms%n", flushMs);
      System.out.printf("disk: %.1f B/span, %.1f B/log line (blocks incl. indexes and blooms)%n",
          spanBytes / (double) (traces * 3), logBytes / (double) (traces * 2));
      System.out.printf("trace by id: p50 %.2f ms, p99 %.2f ms%n", pct(byId, 50), pct(byId, 99));
      System.out.printf("logs of trace: p50 %.2f ms, p99 %.2f ms%n", pct(logsOf, 50), pct(logsOf, 99));
      System.out.printf("word search (all time, limit 10, %d hits): %.1f ms%n", hits, wordMs);
      System.out.printf("RSS: %s, heap used: %d MiB%n", rss(),
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }
  }

  interface Batch {
    int write(int fromTrace, int toTrace);
  }

  /** Splits [0, traces) among writer threads in batches; returns records per second. */
  private static double run(int writers, int traces, int batchTraces, Batch batch) throws InterruptedException {
    AtomicLong next = new AtomicLong();
    AtomicLong records = new AtomicLong();
    Thread[] ts = new Thread[writers];
    long start = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      ts[w] = new Thread(() -> {
        while (true) {
          int from = (int) next.getAndAdd(batchTraces);
          if (from >= traces) {
            return;
          }
          records.addAndGet(batch.write(from, Math.min(traces, from + batchTraces)));
        }
      });
      ts[w].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return records.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static long bytes(Path dir, String suffix) throws java.io.IOException {
    try (Stream<Path> s = Files.list(dir.resolve("blocks"))) {
      return s.filter(p -> p.toString().endsWith(suffix)).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static double pct(long[] nanos, int p) {
    long[] c = nanos.clone();
    Arrays.sort(c);
    return c[Math.min(c.length - 1, c.length * p / 100)] / 1e6;
  }

  private static String rss() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return line.substring(6).trim();
      }
    }
    return "?";
  }
}
