package dev.kansoku.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoopGroup;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ack-check}: sends spans with unique ids to one or more OTLP/gRPC endpoints (the collectors of
 * a cluster), remembers every span whose request was acknowledged, then asks a query node for those
 * traces until each acknowledged span is there exactly once, or a time limit passes. Prints the
 * accept rate, a timeline of it, how long the backlog took to become queryable, and the losses.
 * Exits 1 when an acknowledged span is missing or duplicated (or, without {@code --allow-refused},
 * when a request was refused).
 */
final class AckCheckCommand {
  static final String HELP = """
      usage: ack-check --endpoint URL [--endpoint URL ...] --query URL [flags]
      Sends dice-app spans (unique trace and span ids in every request) over OTLP/gRPC to the endpoints
      in turn, then checks through the query node's /api/traces-by-id that every span of every
      acknowledged request is stored exactly once.

        --endpoint URL        OTLP/gRPC endpoint, repeatable (connections are spread over them)
        --query URL           Kansoku query node, e.g. http://127.0.0.1:4600
        --duration D          sending time (default 20s)
        --rate N              spans/s over all connections, 0 = as fast as answered (default 0)
        --connections N       connections per endpoint (default 2)
        --batch N             spans per request (default 512)
        --timeline D          print the accept rate every D (default 5s)
        --verify-timeout D    how long acknowledged spans may take to become queryable (default 180s)
        --verify all|newest   check every acknowledged span (default), or only time the drain with the
                              newest requests' spans (a throughput run with millions of spans)
        --allow-refused true  refused requests are not a failure (an overload test)
        --seed N              random seed (default: time)
      """;

  static final Set<String> FLAGS = Set.of("endpoint", "query", "duration", "rate", "connections", "batch",
      "timeline", "verify-timeout", "verify", "allow-refused", "seed");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IDS_PER_QUERY = 100;
  /** The query node's last 503 answer, reported when spans stay missing. */
  private static final AtomicReference<String> LAST_UNAVAILABLE = new AtomicReference<>();

  private AckCheckCommand() {}

  /** A trace id as two longs, for compact sets of millions. */
  private record TraceKey(long hi, long lo) {
    String hex() {
      return String.format(Locale.ROOT, "%016x%016x", hi, lo);
    }
  }

  static int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of("endpoint"));
    List<URI> endpoints = flags.all("endpoint").stream().map(URI::create).toList();
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("--endpoint: at least one is required");
    }
    String query = flags.string("query", null);
    if (query == null) {
      throw new IllegalArgumentException("--query: required (the query node's URL)");
    }
    Duration duration = flags.duration("duration", Duration.ofSeconds(20));
    long rate = flags.integer("rate", 0, 0);
    int perEndpoint = flags.integer("connections", 2, 1);
    int batch = flags.integer("batch", 512, 2);
    Duration timeline = flags.duration("timeline", Duration.ofSeconds(5));
    Duration verifyTimeout = flags.duration("verify-timeout", Duration.ofSeconds(180));
    boolean allowRefused = Boolean.parseBoolean(flags.string("allow-refused", "false"));
    String verifyMode = flags.string("verify", "all");
    if (!verifyMode.equals("all") && !verifyMode.equals("newest")) {
      throw new IllegalArgumentException("--verify: \"" + verifyMode + "\" (expected: all or newest)");
    }
    long seed = Long.parseLong(flags.string("seed", Long.toString(System.nanoTime())));

    System.out.println("machine: " + Machine.describe());
    System.out.printf(Locale.ROOT, "sending %d-span requests for %ds to %s (%d connections each), %s%n", batch,
        duration.toSeconds(), endpoints, perEndpoint, rate == 0 ? "as fast as answered" : rate + " spans/s");
    Sender sender = new Sender(endpoints, perEndpoint, batch, rate, seed);
    Sent sent = sender.run(duration, timeline);
    sent.print();

    Map<TraceKey, long[]> newest = sent.newest();
    long t0 = System.nanoTime();
    // The newest acknowledged requests' traces queryable: the backlog behind them has drained too
    // (each Kafka partition is consumed in order), measured apart from checking everything.
    Verified drained = verify(query, newest, verifyTimeout);
    double drain = (System.nanoTime() - t0) / 1e9;
    Map<TraceKey, long[]> expected = verifyMode.equals("all") ? sent.byTrace() : newest;
    Verified v = verifyMode.equals("all") ? verify(query, expected, verifyTimeout) : drained;
    System.out.printf(Locale.ROOT, "verify (%s): %,d acknowledged spans in %,d traces through %s%n", verifyMode,
        expected.values().stream().mapToLong(a -> a.length).sum(), expected.size(), query);
    System.out.printf(Locale.ROOT, "  drained          the newest acknowledged traces queryable %.1f s after the last send%n",
        drain);
    System.out.printf(Locale.ROOT, "  queryable        %,d spans exactly once%n", v.found);
    System.out.printf(Locale.ROOT, "  missing          %,d spans (%,d traces)%s%n", v.missingSpans, v.missingTraces,
        v.missingSpans > 0 && LAST_UNAVAILABLE.get() != null ? "; the query node last said 503 " + LAST_UNAVAILABLE.get()
            : "");
    System.out.printf(Locale.ROOT, "  duplicated       %,d spans%n", v.duplicated);
    System.out.printf(Locale.ROOT, "  end to end       %,.0f spans/s (acknowledged spans / (send time + drain))%n",
        sent.ackedSpans / (sent.seconds + drain));
    boolean ok = v.missingSpans == 0 && v.duplicated == 0 && (allowRefused || sent.refusedRequests == 0);
    System.out.println(ok ? "PASS: " + (verifyMode.equals("all") ? "every acknowledged span is"
        : "the newest acknowledged spans are") + " queryable exactly once"
        : "FAIL: " + (v.missingSpans + v.duplicated > 0 ? "acknowledged spans lost or duplicated"
            : sent.refusedRequests + " requests refused"));
    return ok ? 0 : 1;
  }

  /** What the send phase saw; {@code acked} holds per acknowledged request its spans as (hi, lo, spanId) triples. */
  private record Sent(long requests, long ackedSpans, long refusedRequests, Map<String, Long> errors, double seconds,
      LatencyHistogram latency, ConcurrentLinkedQueue<long[]> acked) {
    void print() {
      System.out.printf(Locale.ROOT, "sent: %,d requests in %.1f s, %,d refused%s%n", requests, seconds,
          refusedRequests, errors.isEmpty() ? "" : " " + errors);
      System.out.printf(Locale.ROOT, "  acknowledged     %,d spans, %,.0f spans/s%n", ackedSpans, ackedSpans / seconds);
      System.out.printf(Locale.ROOT, "  export latency   p50 %s  p99 %s  max %s%n", LoadReport.ms(latency.percentile(50)),
          LoadReport.ms(latency.percentile(99)), LoadReport.ms(latency.max()));
    }

    Map<TraceKey, long[]> byTrace() {
      return byTrace(acked);
    }

    /** The spans of the last few acknowledged requests. */
    Map<TraceKey, long[]> newest() {
      List<long[]> all = new ArrayList<>(acked);
      return byTrace(all.subList(Math.max(0, all.size() - 4), all.size()));
    }

    private static Map<TraceKey, long[]> byTrace(Iterable<long[]> requests) {
      Map<TraceKey, long[]> out = new HashMap<>();
      for (long[] triples : requests) {
        for (int i = 0; i < triples.length; i += 3) {
          TraceKey k = new TraceKey(triples[i], triples[i + 1]);
          long[] old = out.get(k);
          long[] ids = old == null ? new long[1] : Arrays.copyOf(old, old.length + 1);
          ids[ids.length - 1] = triples[i + 2];
          out.put(k, ids);
        }
      }
      return out;
    }
  }

  private static final class Sender {
    private final List<Connection> connections = new ArrayList<>();
    private final EventLoopGroup workers = EventLoopGroups.newEventLoopGroup(1, "ack-check", true);
    private final int batch;
    private final long rate;
    private final long seed;

    Sender(List<URI> endpoints, int perEndpoint, int batch, long rate, long seed) {
      for (int i = 0; i < perEndpoint; i++) {
        for (URI e : endpoints) {
          connections.add(new Connection(Protocol.GRPC, e, workers, List.of()));
        }
      }
      this.batch = batch;
      this.rate = rate;
      this.seed = seed;
    }

    Sent run(Duration duration, Duration timeline) throws InterruptedException {
      LongAdder requests = new LongAdder();
      LongAdder ackedSpans = new LongAdder();
      LongAdder refused = new LongAdder();
      Map<String, LongAdder> errors = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<long[]> acked = new ConcurrentLinkedQueue<>();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long interval = rate == 0 ? 0 : (long) (1e9 * batch / rate);
      AtomicLong nextSlot = new AtomicLong(start);
      List<Thread> lanes = new ArrayList<>();
      List<LatencyHistogram> histograms = new ArrayList<>();
      for (int c = 0; c < connections.size(); c++) {
        Connection conn = connections.get(c);
        DiceTelemetry telemetry = new DiceTelemetry(seed + c, 8);
        LatencyHistogram h = new LatencyHistogram();
        histograms.add(h);
        Thread t = new Thread(() -> {
          while (true) {
            long now = System.nanoTime();
            if (interval > 0) {
              long slot = nextSlot.getAndAdd(interval);
              while ((now = System.nanoTime()) < slot) {
                LockSupport.parkNanos(slot - now);
              }
            }
            if (now >= end) {
              return;
            }
            telemetry.at(System.currentTimeMillis() * 1_000_000L);
            ExportTraceServiceRequest req = telemetry.traces(batch);
            byte[] body = RequestPool.grpcFrame(req.toByteArray());
            long t0 = System.nanoTime();
            Connection.Outcome outcome = conn.send(new RequestPool.Request(OtlpSignal.TRACES, body, 5, batch)).join();
            h.record((System.nanoTime() - t0) / 1_000);
            requests.increment();
            if (outcome.ok() && outcome.rejected() == 0) {
              acked.add(triples(req));
              ackedSpans.add(batch);
            } else {
              refused.increment();
              errors.computeIfAbsent(outcome.ok() ? "partial success" : outcome.error(), k -> new LongAdder())
                  .increment();
            }
          }
        }, "lane-" + c);
        t.setDaemon(true);
        lanes.add(t);
      }
      lanes.forEach(Thread::start);
      long lastSpans = 0;
      long lastRefused = 0;
      long tick = start;
      while (tick < end) {
        long next = Math.min(tick + timeline.toNanos(), end);
        LockSupport.parkNanos(next - System.nanoTime());
        long now = System.nanoTime();
        if (now < next) {
          continue;
        }
        long spans = ackedSpans.sum();
        long ref = refused.sum();
        System.out.printf(Locale.ROOT, "  t=%5.1fs  acknowledged %,9.0f spans/s  refused %,d requests%n",
            (now - start) / 1e9, (spans - lastSpans) / ((now - tick) / 1e9), ref - lastRefused);
        lastSpans = spans;
        lastRefused = ref;
        tick = now;
      }
      for (Thread t : lanes) {
        t.join();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      connections.forEach(Connection::close);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      LatencyHistogram all = new LatencyHistogram();
      histograms.forEach(all::add);
      Map<String, Long> errs = new TreeMap<>();
      errors.forEach((k, v) -> errs.put(k, v.sum()));
      return new Sent(requests.sum(), ackedSpans.sum(), refused.sum(), errs, seconds, all, acked);
    }

    private static long[] triples(ExportTraceServiceRequest req) {
      List<Long> out = new ArrayList<>();
      for (ResourceSpans rs : req.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            byte[] t = s.getTraceId().toByteArray();
            out.add(bytesToLong(t, 0));
            out.add(bytesToLong(t, 8));
            out.add(bytesToLong(s.getSpanId().toByteArray(), 0));
          }
        }
      }
      return out.stream().mapToLong(Long::longValue).toArray();
    }
  }

  private static long bytesToLong(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[offset + i] & 0xff);
    }
    return v;
  }

  private record Verified(long found, long missingSpans, long missingTraces, long duplicated) {}

  /** Fetches the traces in groups until every acknowledged span is seen or the time is up. */
  private static Verified verify(String query, Map<TraceKey, long[]> expected, Duration timeout) throws Exception {
    BlockingWebClient client = WebClient.builder(query).responseTimeout(Duration.ofSeconds(60)).build().blocking();
    List<TraceKey> pending = new ArrayList<>(expected.keySet());
    long deadline = System.nanoTime() + timeout.toNanos();
    LongAdder found = new LongAdder();
    LongAdder duplicated = new LongAdder();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      while (!pending.isEmpty()) {
        List<Future<List<TraceKey>>> rounds = new ArrayList<>();
        for (int i = 0; i < pending.size(); i += IDS_PER_QUERY) {
          List<TraceKey> group = pending.subList(i, Math.min(pending.size(), i + IDS_PER_QUERY));
          rounds.add(pool.submit(() -> check(client, group, expected, found, duplicated)));
        }
        List<TraceKey> still = new ArrayList<>();
        for (Future<List<TraceKey>> f : rounds) {
          still.addAll(f.get());
        }
        pending = still;
        if (pending.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(250);
      }
    } finally {
      pool.shutdownNow();
    }
    long missingSpans = pending.stream().mapToLong(k -> expected.get(k).length).sum();
    return new Verified(found.sum(), missingSpans, pending.size(), duplicated.sum());
  }

  /** The traces of {@code group} not yet complete; completes count their spans into {@code found}. */
  private static List<TraceKey> check(BlockingWebClient client, List<TraceKey> group, Map<TraceKey, long[]> expected,
      LongAdder found, LongAdder duplicated) throws Exception {
    StringBuilder ids = new StringBuilder();
    for (TraceKey k : group) {
      ids.append(ids.length() == 0 ? "" : ",").append(k.hex());
    }
    AggregatedHttpResponse res = client.get("/api/traces-by-id?ids=" + ids);
    if (res.status().code() == 503) {
      // The store is not answering yet (e.g. restarting): this group is not complete; ask again.
      LAST_UNAVAILABLE.set(res.contentUtf8());
      return new ArrayList<>(group);
    }
    if (res.status().code() != 200) {
      throw new IllegalStateException("query node answered " + res.status() + ": " + res.contentUtf8());
    }
    JsonNode body = JSON.readTree(res.contentUtf8());
    Map<String, JsonNode> byId = new HashMap<>();
    body.get("traces").forEach(t -> byId.put(t.get("traceId").asText(), t.get("spans")));
    List<TraceKey> incomplete = new ArrayList<>();
    for (TraceKey k : group) {
      JsonNode spans = byId.get(k.hex());
      if (spans == null) {
        incomplete.add(k);
        continue;
      }
      Map<String, Integer> seen = new HashMap<>();
      spans.forEach(s -> seen.merge(s.get("spanId").asText(), 1, Integer::sum));
      boolean complete = true;
      long extra = 0;
      for (long id : expected.get(k)) {
        Integer n = seen.get(HexFormat.of().toHexDigits(id));
        if (n == null) {
          complete = false;
        } else {
          extra += n - 1;
        }
      }
      if (complete) {
        found.add(expected.get(k).length);
        duplicated.add(extra);
      } else {
        incomplete.add(k);
      }
    }
    return incomplete;
  }
}
