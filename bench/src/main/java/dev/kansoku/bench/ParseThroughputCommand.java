package dev.kansoku.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
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
      requests/s and MB/s.

        --signal traces|logs|metrics   default traces
        --batch N        items per request (default 512)
        --pool N         distinct requests (default 64)
        --warmup D       default 5s
        --duration D     default 10s
      """;

  static final Set<String> FLAGS = Set.of("signal", "batch", "pool", "warmup", "duration");

  /** A parse measurement: items, requests and bytes per second on one thread. */
  record Result(OtlpSignal signal, double itemsPerSecond, double requestsPerSecond, double bytesPerSecond) {
    void print(String indent) {
      System.out.printf(Locale.ROOT, "%sparse %s: %,.0f %s/s, %,.1f requests/s, %.1f MB/s (1 thread)%n", indent,
          signal.configName(), itemsPerSecond, signal.itemName(), requestsPerSecond, bytesPerSecond / 1e6);
    }
  }

  private ParseThroughputCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    if (flags.help()) {
      System.out.print(HELP);
      return;
    }
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
   * then {@code duration} timed. The pool must hold protobuf (not gRPC-framed, not JSON) bodies of
   * one signal.
   */
  static Result measure(RequestPool pool, Duration warmup, Duration duration) throws InvalidProtocolBufferException {
    List<RequestPool.Request> reqs = new ArrayList<>(pool.requests());
    OtlpSignal signal = reqs.get(0).signal();
    loop(reqs, signal, warmup.toNanos());
    long[] r = loop(reqs, signal, duration.toNanos());
    double secs = r[0] / 1e9;
    return new Result(signal, r[1] / secs, r[2] / secs, r[3] / secs);
  }

  /** Returns {elapsed nanos, items, requests, bytes}. */
  private static long[] loop(List<RequestPool.Request> reqs, OtlpSignal signal, long nanos)
      throws InvalidProtocolBufferException {
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
        sink += signal.parseResources(req.body()) > 0 ? 1 : 0;
        items += req.items();
        bytes += req.body().length;
        requests++;
        i = i + 1 == reqs.size() ? 0 : i + 1;
      }
      now = System.nanoTime();
    } while (now - start < nanos);
    if (sink != requests) {
      throw new IllegalStateException("parsed an empty request");
    }
    return new long[] {now - start, items, requests, bytes};
  }
}
