package dev.kansoku.bench;

import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoopGroup;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * {@code store-bench}: Kansoku's default pipeline ({@code otlp → memory_limiter → kansoku}, embedded
 * store) in a child JVM, fed N dice-app spans and N log lines over OTLP/gRPC, then queried over its
 * query API as the console would. Prints ingest rates, bytes on disk, the child's memory and CPU,
 * and median/p99 latencies of the queries issue 4 names.
 *
 * <p>The telemetry is generated and encoded before the timed phase (so generating it never limits
 * the rate) and spread over the last hour, as an hour of traffic would be. A refused request
 * ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}) is retried after a pause, as an SDK exporter
 * does, so every item ends up stored and the rate is what the store sustains.
 */
final class StoreBenchCommand {
  static final String HELP = """
      usage: store-bench [flags]
      Starts kansoku.jar with the embedded store in a fresh directory, sends N spans then N log lines
      (dice-app telemetry, spread over the last hour) over OTLP/gRPC, then times queries on the
      query API. Needs a heap for the pre-generated requests (about 1 GB per million spans and lines;
      bench/store-bench sets -Xmx from --spans).

        --spans N         spans to send (default 10000000)
        --logs N          log lines to send (default: as many as spans)
        --jar PATH        default kansoku-server/target/kansoku.jar
        --heap SIZE       the child's -Xmx (default 1g)
        --dir PATH        store directory (default: a new temporary directory, deleted afterwards)
        --connections N   gRPC connections (default 8)
        --in-flight N     requests in flight per connection (default 2)
        --batch N         items per request (default 512)
        --queries N       runs of each query (default 200)
      """;

  static final Set<String> FLAGS =
      Set.of("spans", "logs", "jar", "heap", "dir", "connections", "in-flight", "batch", "queries");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final String[] WORDS = {"rolling", "Completed", "dispatcherServlet", "Servlet", "parameters"};

  private StoreBenchCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    int spans = flags.integer("spans", 10_000_000, 1);
    int logs = flags.integer("logs", spans, 0);
    Path jar = Path.of(flags.string("jar", "kansoku-server/target/kansoku.jar"));
    String heap = flags.string("heap", "1g");
    int connections = flags.integer("connections", 8, 1);
    int inFlight = flags.integer("in-flight", 2, 1);
    int batch = flags.integer("batch", 512, 1);
    int queries = flags.integer("queries", 200, 1);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--jar: " + jar + " is missing (mvn -B package -DskipTests)");
    }
    String dirFlag = flags.string("dir", null);
    Path dir = dirFlag != null ? Path.of(dirFlag) : Files.createTempDirectory("kansoku-store-bench");
    System.out.println("machine: " + Machine.describe());

    long now = System.currentTimeMillis() * 1_000_000L;
    long from = now - HOUR.toNanos();
    long t0 = System.nanoTime();
    Generated traceData = generate(spans, batch, from, now, (dice) -> n -> {
      ExportTraceServiceRequest r = dice.traces(n);
      return new Item(r.toByteArray(), n, r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId()
          .toByteArray());
    });
    Generated logData = generate(logs, batch, from, now, (dice) -> n -> {
      ExportLogsServiceRequest r = dice.logs(n);
      return new Item(r.toByteArray(), n, r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getTraceId()
          .toByteArray());
    });
    System.out.printf(Locale.ROOT, "generated %,d spans (%,d requests, %.0f MB) and %,d log lines (%,d requests, "
            + "%.0f MB) in %.1f s%n", spans, traceData.requests.size(), traceData.bytes / 1e6, logs,
        logData.requests.size(), logData.bytes / 1e6, (System.nanoTime() - t0) / 1e9);

    try (KansokuChild kansoku = KansokuChild.start(jar, heap, dir)) {
      System.out.printf("kansoku: pid %d, -Xmx%s, store %s%n", kansoku.pid(), heap, kansoku.dataDir);
      URI otlp = kansoku.otlp;
      Path data = kansoku.dataDir;
      Ingest spanIngest = ingest(otlp, OtlpSignal.TRACES, traceData, connections, inFlight, kansoku);
      print("spans", spanIngest);
      Ingest logIngest = ingest(otlp, OtlpSignal.LOGS, logData, connections, inFlight, kansoku);
      print("log lines", logIngest);
      long disk = diskBytes(data);
      System.out.printf(Locale.ROOT, "disk: %,d bytes in %s = %.1f bytes per item (spans + log lines; WAL "
          + "included)%n", disk, data, disk / (double) (spans + logs));
      Queries q = new Queries(kansoku.api, from, now, queries,
          traceData.traceIds, logData.traceIds);
      q.runAll();
      System.out.println("kansoku memory: " + kansoku.memory());
      // After the head's age limit the store has written its blocks: the bytes a span and a line cost at rest.
      System.out.println("waiting for the store to write its blocks (head age limit) ...");
      long settled = waitForBlocks(data, Duration.ofMinutes(3));
      System.out.printf(Locale.ROOT, "disk after flush: %,d bytes; WAL %,d bytes%n", settled, walBytes(data));
      Map<String, Long> bySignal = blockBytes(data);
      long spanBytes = bySignal.getOrDefault("spans", 0L);
      long logBytes = bySignal.getOrDefault("logs", 0L);
      System.out.printf(Locale.ROOT, "bytes per span %.1f (span blocks %,d B); bytes per log line %.1f (log blocks "
          + "%,d B)%n", spanBytes / (double) spans, spanBytes, logs == 0 ? 0 : logBytes / (double) logs, logBytes);
      System.out.println("queries after flush (blocks only):");
      q.runAll();
      System.out.println("kansoku memory: " + kansoku.memory());
    } finally {
      if (dirFlag == null) {
        KansokuChild.deleteTree(dir);
      }
    }
    System.out.printf(Locale.ROOT, "load average %.2f at the end%n", Machine.loadAverage());
  }

  // ---------------------------------------------------------------- generation

  private record Item(byte[] message, int items, byte[] traceId) {}

  private record Generated(List<RequestPool.Request> requests, long bytes, List<String> traceIds) {}

  private interface Generator {
    IntFunction<Item> make(DiceTelemetry dice);
  }

  /** {@code total} items in requests of {@code batch}, times rising evenly from {@code from} to {@code to}. */
  private static Generated generate(int total, int batch, long from, long to, Generator gen) {
    int count = (total + batch - 1) / batch;
    RequestPool.Request[] out = new RequestPool.Request[count];
    String[] ids = new String[count];
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      long seed = 1000 + w;
      Thread t = new Thread(() -> {
        DiceTelemetry dice = new DiceTelemetry(seed, 8);
        IntFunction<Item> make = gen.make(dice);
        for (int i; (i = next.getAndIncrement()) < count; ) {
          dice.at(from + (to - from) * (i + 1L) / count);
          int n = Math.min(batch, total - i * batch);
          Item item = make.apply(n);
          out[i] = new RequestPool.Request(null, RequestPool.grpcFrame(item.message()), 5, n);
          ids[i] = HexFormat.of().formatHex(item.traceId());
        }
      });
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    long bytes = 0;
    for (RequestPool.Request r : out) {
      bytes += r.body().length;
    }
    return new Generated(Arrays.asList(out), bytes, Arrays.asList(ids));
  }

  // ---------------------------------------------------------------- ingest

  private record Ingest(long items, double seconds, long retries, Map<String, Long> errors, double serverCpuSeconds,
      LatencyHistogram latency) {}

  private static Ingest ingest(URI endpoint, OtlpSignal signal, Generated data, int connections, int inFlight,
      KansokuChild child) throws InterruptedException {
    EventLoopGroup loops = EventLoopGroups.newEventLoopGroup(1, "store-bench", true);
    List<Connection> conns = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      conns.add(new Connection(Protocol.GRPC, endpoint, loops, List.of()));
    }
    AtomicInteger next = new AtomicInteger();
    LongAdder items = new LongAdder();
    LongAdder retries = new LongAdder();
    Map<String, Long> errors = new java.util.concurrent.ConcurrentHashMap<>();
    LatencyHistogram latency = new LatencyHistogram();
    List<Thread> lanes = new ArrayList<>();
    double cpu0 = child.cpuSeconds();
    long start = System.nanoTime();
    for (Connection c : conns) {
      for (int f = 0; f < inFlight; f++) {
        Thread t = new Thread(() -> {
          for (int i; (i = next.getAndIncrement()) < data.requests.size(); ) {
            RequestPool.Request r = data.requests.get(i);
            RequestPool.Request req = new RequestPool.Request(signal, r.body(), r.messageOffset(), r.items());
            long pause = 20;
            while (true) {
              long s = System.nanoTime();
              Connection.Outcome o = c.send(req).join();
              if (o.ok()) {
                synchronized (latency) {
                  latency.record((System.nanoTime() - s) / 1_000);
                }
                items.add(req.items() - o.rejected());
                break;
              }
              errors.merge(o.error(), 1L, Long::sum);
              retries.increment();
              sleep(pause);
              pause = Math.min(pause * 2, 1_000);
            }
          }
        });
        lanes.add(t);
        t.start();
      }
    }
    for (Thread t : lanes) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = child.cpuSeconds() - cpu0;
    conns.forEach(Connection::close);
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return new Ingest(items.sum(), seconds, retries.sum(), Map.copyOf(errors), cpu, latency);
  }

  private static void print(String what, Ingest in) {
    System.out.printf(Locale.ROOT, "ingest %s: %,d in %.1f s = %,.0f/s; Kansoku CPU %.1f s (%.2f cores, %.2f µs per "
            + "item); export p50 %.1f ms p99 %.1f ms; retries %,d %s%n", what, in.items, in.seconds,
        in.items / in.seconds, in.serverCpuSeconds, in.serverCpuSeconds / in.seconds,
        in.serverCpuSeconds * 1e6 / Math.max(1, in.items), in.latency.percentile(50) / 1e3,
        in.latency.percentile(99) / 1e3, in.retries, in.errors.isEmpty() ? "" : in.errors);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- queries

  /** Times each query {@code runs} times over the query API and prints median and p99. */
  private static final class Queries {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final long fromNanos;
    private final long toNanos;
    private final int runs;
    private final List<String> spanTraceIds;
    private final List<String> logTraceIds;
    private final SplittableRandom random = new SplittableRandom(7);

    Queries(URI api, long fromNanos, long toNanos, int runs, List<String> spanTraceIds, List<String> logTraceIds) {
      this.api = api;
      this.fromNanos = fromNanos;
      this.toNanos = toNanos;
      this.runs = runs;
      this.spanTraceIds = spanTraceIds;
      this.logTraceIds = logTraceIds;
    }

    void runAll() {
      long fromMs = fromNanos / 1_000_000;
      long toMs = toNanos / 1_000_000;
      long window = Duration.ofMinutes(15).toMillis();
      time("trace by id", () -> "/api/traces/" + pick(spanTraceIds), "\"spans\"");
      time("search: service + duration >= 15ms + 15 min window, limit 20", () -> {
        long start = fromMs + random.nextLong(toMs - fromMs - window);
        return "/api/traces?service=dice-server&minDuration=15ms&limit=20&start=" + start + "&end=" + (start + window);
      }, "\"traces\"");
      if (!logTraceIds.isEmpty()) {
        time("logs of a trace", () -> "/api/traces/" + pick(logTraceIds) + "/logs", "\"body\"");
        time("logs containing a word, 1 hour, limit 100",
            () -> "/api/logs?limit=100&start=" + fromMs + "&end=" + toMs + "&q=" + WORDS[random.nextInt(WORDS.length)],
            "\"body\"");
      }
      time("RED per service per minute, 1 hour",
          () -> "/api/red?period=1m&start=" + fromMs + "&end=" + toMs, "\"requestsPerSecond\"");
    }

    private String pick(List<String> ids) {
      return ids.get(random.nextInt(ids.size()));
    }

    private void time(String what, java.util.function.Supplier<String> path, String mustContain) {
      long[] ms = new long[runs];
      int wrong = 0;
      String firstProblem = null;
      for (int i = 0; i < runs; i++) {
        String p = path.get();
        long s = System.nanoTime();
        HttpResponse<String> res;
        try {
          res = http.send(HttpRequest.newBuilder(api.resolve(p)).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          throw new UncheckedIOException(p, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        ms[i] = System.nanoTime() - s;
        if (res.statusCode() != 200 || !res.body().contains(mustContain)) {
          wrong++;
          if (firstProblem == null) {
            firstProblem = p + " -> " + res.statusCode() + " " + res.body().substring(0, Math.min(200,
                res.body().length()));
          }
        }
      }
      Arrays.sort(ms);
      System.out.printf(Locale.ROOT, "  %-62s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%s%n", what,
          ms[runs / 2] / 1e6, ms[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)] / 1e6, ms[runs - 1] / 1e6,
          wrong == 0 ? "" : "  (" + wrong + " answers without results; first: " + firstProblem + ")");
    }
  }

  // ---------------------------------------------------------------- the store's files

  private static long diskBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(StoreBenchCommand::size).sum();
    }
  }

  private static long walBytes(Path dir) throws IOException {
    Path wal = dir.resolve("wal");
    return Files.isDirectory(wal) ? diskBytes(wal) : 0;
  }

  /** Bytes of block files per signal ({@code <segment>-<signal>.blk}). */
  private static Map<String, Long> blockBytes(Path dir) throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".blk")).forEach(p -> {
        String n = p.getFileName().toString();
        out.merge(n.substring(n.indexOf('-') + 1, n.length() - 4), size(p), Long::sum);
      });
    }
    return out;
  }

  /** Waits until the WAL holds less than 1 MB (its head was written as blocks) or the time is up. */
  private static long waitForBlocks(Path dir, Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (walBytes(dir) > 1_000_000 && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
    }
    return diskBytes(dir);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0; // deleted meanwhile (retention, a flush)
    }
  }


}
