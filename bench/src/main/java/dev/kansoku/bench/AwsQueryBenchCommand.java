package dev.kansoku.bench;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoopGroup;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.GetTraceSummariesResponse;

/**
 * {@code aws-query-bench}: Kansoku with the embedded store in a child JVM, loaded with N dice-app
 * spans (OTLP/gRPC, the default pipeline) and N seed-format log lines carrying their traces' X-Ray
 * ids (PutLogEvents, as Docker's awslogs driver sends them), spread over the last hour; then the
 * AWS SDK for Java v2 times what the X-Ray console and the AWS CLI ask: GetTraceSummaries (a
 * service over 15 minutes, and a filter expression) and Logs Insights StartQuery → GetQueryResults
 * (the console's {@code filter @message like "1-…"} for one trace, and {@code stats count() by bin(1m)}).
 * Latency is from the first call to the complete answer, median and p99 over {@code --queries} runs.
 */
final class AwsQueryBenchCommand {
  static final String HELP = """
      usage: aws-query-bench [flags]
      Starts kansoku.jar (embedded store, fresh directory), loads N spans over OTLP/gRPC and N log lines
      with PutLogEvents, all within the last hour, then times GetTraceSummaries and Logs Insights
      queries through the AWS SDK for Java v2.

        --spans N         spans to load (default 1000000)
        --logs N          log lines to load (default: as many as spans)
        --jar PATH        default kansoku-server/target/kansoku.jar
        --heap SIZE       the child's -Xmx (default 1g)
        --dir PATH        store directory (default: a new temporary directory, deleted afterwards)
        --queries N       runs of each query (default 50)
        --poll DURATION   GetQueryResults polling interval (default 10ms)
        --budget DURATION time spent on one query's runs at most (default 2m; at least one run)
      """;

  static final Set<String> FLAGS = Set.of("spans", "logs", "jar", "heap", "dir", "queries", "poll", "budget");
  private static final Duration HOUR = Duration.ofHours(1);
  static final String LOG_GROUP = "/ecs/dice-server";
  private static final int SPANS_PER_REQUEST = 512;
  /** 5,000 seed lines of ~150 bytes stay under PutLogEvents' 1 MiB (26 bytes counted per event). */
  private static final int EVENTS_PER_PUT = 5_000;
  private static final int STREAMS = 8;
  /** The seed's logback pattern starts with the time of day. */
  private static final int GIVE_UP = 3;
  private static Duration budget = Duration.ofMinutes(2);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private AwsQueryBenchCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    int spans = flags.integer("spans", 1_000_000, 2);
    int logs = flags.integer("logs", spans, 0);
    Path jar = Path.of(flags.string("jar", "kansoku-server/target/kansoku.jar"));
    String heap = flags.string("heap", "1g");
    int queries = flags.integer("queries", 50, 1);
    Duration poll = flags.duration("poll", Duration.ofMillis(10));
    budget = flags.duration("budget", Duration.ofMinutes(2));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--jar: " + jar + " is missing (mvn -B package -DskipTests)");
    }
    String dirFlag = flags.string("dir", null);
    Path dir = dirFlag != null ? Path.of(dirFlag) : Files.createTempDirectory("kansoku-aws-query-bench");
    System.out.println("machine: " + Machine.describe());

    long now = System.currentTimeMillis() * 1_000_000L;
    Traces traces = new Traces((spans + 1) / 2, now - HOUR.toNanos(), now, 42);
    try (KansokuChild kansoku = KansokuChild.start(jar, heap, dir);
        XRayClient xray = XRayClient.builder().endpointOverride(kansoku.api).region(Region.US_WEST_2)
            .credentialsProvider(CREDENTIALS).httpClient(http()).overrideConfiguration(ONE_ATTEMPT).build();
        CloudWatchLogsClient cwl = CloudWatchLogsClient.builder().endpointOverride(kansoku.api)
            .region(Region.US_WEST_2).credentialsProvider(CREDENTIALS).httpClient(http())
            .overrideConfiguration(ONE_ATTEMPT).build()) {
      System.out.printf("kansoku: pid %d, -Xmx%s, store %s%n", kansoku.pid(), heap, dir);
      long t0 = System.nanoTime();
      long sent = loadSpans(kansoku.otlp, traces, spans);
      report("spans (OTLP/gRPC)", sent, t0);
      t0 = System.nanoTime();
      loadLogs(cwl, traces, logs);
      report("log lines (PutLogEvents)", logs, t0);

      long end = now / 1_000_000_000L;
      Instant windowEnd = Instant.ofEpochSecond(end);
      Instant windowStart = windowEnd.minus(Duration.ofMinutes(15));
      SplittableRandom pick = new SplittableRandom(7);
      System.out.printf(Locale.ROOT, "%n%-66s %6s %9s %9s %9s  %s%n", "query", "runs", "median", "p99", "max",
          "answer");
      if (logs > 0) {
        long from = end - HOUR.toSeconds() - 60;
        time("Insights filter @message like \"1-…\" (X-Ray console), 1 h", queries, () -> {
          String id = traces.xrayId(traceOfLog(traces, logs, pick.nextInt(logTraces(traces, logs))));
          return insights(cwl, poll, from, end + 60, "fields @timestamp, @message, @logStream, @log"
              + " | filter @message like \"" + id + "\" | sort @timestamp desc | limit 1000");
        });
        time("Insights stats count() by bin(1m), 1 h", Math.max(1, queries / 5), () ->
            insights(cwl, poll, from, end + 60, "stats count() by bin(1m)"));
      }
      // X-Ray last: a query still running after a timeout would hold the threads the others need.
      time("GetTraceSummaries service(\"dice-server\"), last 15 min", queries, () -> {
        GetTraceSummariesResponse r = xray.getTraceSummaries(b -> b.startTime(windowStart).endTime(windowEnd)
            .filterExpression("service(\"dice-server\")"));
        return r.traceSummaries().size() + " summaries, " + r.tracesProcessedCount() + " processed";
      });
      time("GetTraceSummaries service() AND responsetime > 0.018 AND ok, 15 min", queries, () -> {
        GetTraceSummariesResponse r = xray.getTraceSummaries(b -> b.startTime(windowStart).endTime(windowEnd)
            .filterExpression("service(\"dice-server\") AND responsetime > 0.018 AND ok"));
        return r.traceSummaries().size() + " summaries, " + r.tracesProcessedCount() + " processed";
      });
      // The worst case of newest-first slicing: nothing matches, so every slice of the window is read.
      time("GetTraceSummaries service() AND http.status = 404 (none), 15 min", queries, () -> {
        GetTraceSummariesResponse r = xray.getTraceSummaries(b -> b.startTime(windowStart).endTime(windowEnd)
            .filterExpression("service(\"dice-server\") AND http.status = 404"));
        return r.traceSummaries().size() + " summaries, " + r.tracesProcessedCount() + " processed";
      });
      System.out.printf(Locale.ROOT, "%nkansoku %s at the end%n", kansoku.memory());
    } finally {
      if (dirFlag == null) {
        KansokuChild.deleteTree(dir);
      }
    }
    System.out.printf(Locale.ROOT, "load average %.2f at the end%n", Machine.loadAverage());
  }

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench"));
  /** No retries, so a latency is one answer's; no client deadline below the server's. */
  private static final ClientOverrideConfiguration ONE_ATTEMPT = ClientOverrideConfiguration.builder()
      .retryStrategy(b -> b.maxAttempts(1)).apiCallTimeout(Duration.ofMinutes(5)).build();

  private static SdkHttpClient http() {
    return ApacheHttpClient.builder().maxConnections(8).socketTimeout(Duration.ofMinutes(5)).build();
  }

  private static void report(String what, long items, long t0) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "loaded %,d %s in %.1f s (%,.0f/s)%n", items, what, s, items / s);
  }

  /**
   * Runs {@code call} {@code runs} times after one untimed run; prints median, p99, max and the last
   * answer. Stops early once {@code --budget} is spent. A failed call (e.g. the endpoint's request
   * timeout, a 503) is counted with the time it took; after {@link #GIVE_UP} in a row the query is left.
   */
  private static void time(String name, int runs, Supplier<String> call) {
    String answer;
    try {
      answer = call.get();
    } catch (SdkException | IllegalStateException e) { // IllegalStateException: an Insights query ended Failed
      answer = "failed: " + e.getMessage();
    }
    long[] nanos = new long[runs];
    int done = 0;
    int failed = 0;
    int inARow = 0;
    String firstFailure = null;
    long deadline = System.nanoTime() + budget.toNanos();
    while (done < runs && inARow < GIVE_UP && (done == 0 || System.nanoTime() < deadline)) {
      long t = System.nanoTime();
      try {
        answer = call.get();
        inARow = 0;
      } catch (SdkException | IllegalStateException e) {
        failed++;
        inARow++;
        firstFailure = firstFailure != null ? firstFailure : e.getMessage();
      }
      nanos[done++] = System.nanoTime() - t;
    }
    long[] took = Arrays.copyOf(nanos, done);
    Arrays.sort(took);
    System.out.printf(Locale.ROOT, "%-66s %6d %7.1f ms %7.1f ms %7.1f ms  %s%n", name, done, took[done / 2] / 1e6,
        took[Math.min(done - 1, (int) Math.ceil(done * 0.99) - 1)] / 1e6, took[done - 1] / 1e6, answer);
    if (failed > 0) {
      System.out.printf(Locale.ROOT, "  %d of %d runs failed%s; first: %s%n", failed, done,
          inARow >= GIVE_UP ? " (gave up after " + GIVE_UP + " in a row)" : "", firstFailure);
    }
  }

  /** StartQuery, then GetQueryResults every {@code poll} until Complete; the row count. */
  private static String insights(CloudWatchLogsClient cwl, Duration poll, long from, long to, String query) {
    String id = cwl.startQuery(b -> b.logGroupName(LOG_GROUP).startTime(from).endTime(to).queryString(query))
        .queryId();
    while (true) {
      GetQueryResultsResponse r = cwl.getQueryResults(b -> b.queryId(id));
      if (r.status() == QueryStatus.COMPLETE) {
        return r.results().size() + " rows, " + r.statistics().recordsScanned().longValue() + " scanned";
      }
      if (r.status() != QueryStatus.RUNNING && r.status() != QueryStatus.SCHEDULED) {
        throw new IllegalStateException("query " + query + " ended " + r.status());
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  // ---------------------------------------------------------------- the data

  /**
   * The traces both loads share: id and start time of trace {@code i}, its start rising evenly
   * through the window so that any 15 minutes hold a quarter of an hour's traces.
   */
  static final class Traces {
    final int count;
    final long from;
    final long to;
    private final byte[] ids;

    Traces(int count, long from, long to, long seed) {
      this.count = count;
      this.from = from;
      this.to = to;
      this.ids = new byte[count * 16];
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < count; i++) {
        long seconds = startNanos(i) / 1_000_000_000L;
        // X-Ray ids start with the trace's epoch second, as X-Ray SDKs and ADOT's id generator make them.
        for (int b = 0; b < 4; b++) {
          ids[i * 16 + b] = (byte) (seconds >>> (24 - 8 * b));
        }
        for (int b = 4; b < 16; b++) {
          ids[i * 16 + b] = (byte) random.nextInt(256);
        }
      }
    }

    long startNanos(int i) {
      return from + (long) ((to - from - 1_000_000_000L) * (i / (double) count));
    }

    ByteString id(int i) {
      return ByteString.copyFrom(ids, i * 16, 16);
    }

    String xrayId(int i) {
      String hex = HexFormat.of().formatHex(ids, i * 16, i * 16 + 16);
      return "1-" + hex.substring(0, 8) + "-" + hex.substring(8);
    }
  }

  /**
   * The dice-app's spans (a SERVER span and its {@code roll} child per trace), moved onto the shared
   * traces' ids and times; sent 512 to a request, a few requests in flight, refusals retried.
   */
  private static long loadSpans(URI otlp, Traces traces, int spans) throws Exception {
    DiceTelemetry dice = new DiceTelemetry(1, 8);
    EventLoopGroup loop = EventLoopGroups.newEventLoopGroup(1);
    Semaphore inFlight = new Semaphore(4);
    AtomicReference<String> failure = new AtomicReference<>();
    long sent = 0;
    int trace = 0;
    try (Connection c = new Connection(Protocol.GRPC, otlp, loop, List.of())) {
      while (sent < spans && failure.get() == null) {
        int n = (int) Math.min(SPANS_PER_REQUEST, spans - sent);
        // DiceTelemetry puts the SERVER spans in the first scope and each one's roll child, in the same
        // order, in the second; both move onto the shared traces, keeping their offsets and durations.
        ExportTraceServiceRequest.Builder moved = dice.traces(n).toBuilder();
        ResourceSpans.Builder rs = moved.getResourceSpansBuilder(0);
        ScopeSpans.Builder servers = rs.getScopeSpansBuilder(0);
        long[] serverStart = new long[servers.getSpansCount()];
        for (int k = 0; k < serverStart.length; k++) {
          Span.Builder span = servers.getSpansBuilder(k);
          serverStart[k] = span.getStartTimeUnixNano();
          moveTo(span, traces, trace + k, 0);
        }
        if (rs.getScopeSpansCount() > 1) {
          ScopeSpans.Builder rolls = rs.getScopeSpansBuilder(1);
          for (int k = 0; k < rolls.getSpansCount(); k++) {
            Span.Builder span = rolls.getSpansBuilder(k);
            moveTo(span, traces, trace + k, span.getStartTimeUnixNano() - serverStart[k]);
          }
        }
        trace += serverStart.length;
        byte[] body = RequestPool.grpcFrame(moved.build().toByteArray());
        inFlight.acquire();
        sendWithRetry(c, new RequestPool.Request(OtlpSignal.TRACES, body, 5, n), inFlight, failure, loop);
        sent += n;
      }
      inFlight.acquire(4);
    } finally {
      loop.shutdownGracefully().sync();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("loading spans failed: " + failure.get());
    }
    return sent;
  }

  /** Puts a span onto trace {@code t}, {@code offset} after the trace's start, keeping its duration. */
  private static void moveTo(Span.Builder s, Traces traces, int t, long offset) {
    long start = traces.startNanos(t) + offset;
    long shift = start - s.getStartTimeUnixNano();
    s.setTraceId(traces.id(t)).setStartTimeUnixNano(start).setEndTimeUnixNano(s.getEndTimeUnixNano() + shift);
    for (Span.Event.Builder e : s.getEventsBuilderList()) {
      e.setTimeUnixNano(e.getTimeUnixNano() + shift);
    }
  }

  private static void sendWithRetry(Connection c, RequestPool.Request request, Semaphore inFlight,
      AtomicReference<String> failure, EventLoopGroup loop) {
    c.send(request).thenAccept(outcome -> {
      if (outcome.ok()) {
        inFlight.release();
      } else if (outcome.error().contains("RESOURCE_EXHAUSTED") || outcome.error().contains("UNAVAILABLE")) {
        // back off as an SDK exporter does, then send the same request again
        loop.schedule(() -> sendWithRetry(c, request, inFlight, failure, loop), 200, TimeUnit.MILLISECONDS);
      } else {
        failure.compareAndSet(null, outcome.error());
        inFlight.release();
      }
    });
  }

  /**
   * Seed-format lines (the logback pattern prints the X-Ray id, span id and flags), three per trace
   * (request, roll, completion), in 8 streams like 8 tasks, sent as Docker's awslogs driver does:
   * PutLogEvents, in time order per stream.
   */
  private static void loadLogs(CloudWatchLogsClient cwl, Traces traces, int lines) throws Exception {
    if (lines == 0) {
      return;
    }
    cwl.createLogGroup(b -> b.logGroupName(LOG_GROUP));
    ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int stream = 0; stream < STREAMS; stream++) {
        int s = stream;
        cwl.createLogStream(b -> b.logGroupName(LOG_GROUP).logStreamName("dice/dice-server/task-" + s));
        done.add(pool.submit(() -> putStream(cwl, traces, lines, s)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** Stream {@code s} holds the lines of traces {@code s, s + STREAMS, …}. */
  private static void putStream(CloudWatchLogsClient cwl, Traces traces, int lines, int s) {
    SplittableRandom random = new SplittableRandom(s);
    List<InputLogEvent> batch = new ArrayList<>(EVENTS_PER_PUT);
    int logTraces = logTraces(traces, lines);
    for (int k = s; k < logTraces; k += STREAMS) {
      int t = traceOfLog(traces, lines, k);
      long ms = traces.startNanos(t) / 1_000_000L;
      String ids = "trace_id=" + traces.xrayId(t) + "@" + hex(random.nextLong()) + " span_id=" + hex(random.nextLong())
          + " trace_flags=01 ";
      String[] texts = {"GET \"/rolldice\", parameters={}", "Player is rolling the dice: " + (1 + random.nextInt(6)),
          "Completed 200 OK"};
      for (int line = 0; line < 3 && k * 3 + line < lines; line++) {
        String clock = LocalTime.ofInstant(Instant.ofEpochMilli(ms + line), ZoneOffset.UTC).format(CLOCK);
        batch.add(InputLogEvent.builder().timestamp(ms + line).message(clock + " " + ids + texts[line]).build());
      }
      if (batch.size() >= EVENTS_PER_PUT - 3) {
        put(cwl, s, batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      put(cwl, s, batch);
    }
  }

  /** How many traces have log lines: three lines each. */
  static int logTraces(Traces traces, int lines) {
    return Math.min(traces.count, (lines + 2) / 3);
  }

  /** The trace of the {@code k}-th logged trace: spread evenly over all traces, so over the whole hour. */
  static int traceOfLog(Traces traces, int lines, int k) {
    return (int) ((long) k * traces.count / logTraces(traces, lines));
  }

  private static void put(CloudWatchLogsClient cwl, int stream, List<InputLogEvent> batch) {
    var r = cwl.putLogEvents(b -> b.logGroupName(LOG_GROUP).logStreamName("dice/dice-server/task-" + stream)
        .logEvents(batch));
    if (r.rejectedLogEventsInfo() != null) {
      throw new IllegalStateException("PutLogEvents rejected events: " + r.rejectedLogEventsInfo());
    }
  }

  private static String hex(long v) {
    return HexFormat.of().toHexDigits(v);
  }

  // ---------------------------------------------------------------- the child


}
