package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanEvent;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanLink;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test data and helpers shared by the embedded store's own tests. */
final class Fixtures {
  private Fixtures() {}

  static TraceId traceId(int n) {
    return new TraceId(0x655415c500000000L | n, 0x1234_5678_0000_0000L | n);
  }

  /** A three-span trace (frontend server → client → dice-server server) starting at {@code startNanos}. */
  static List<SpanRecord> trace(int n, long startNanos) {
    TraceId t = traceId(n);
    SpanId root = new SpanId(((long) n << 8) | 1);
    SpanId client = new SpanId(((long) n << 8) | 2);
    SpanId server = new SpanId(((long) n << 8) | 3);
    List<SpanRecord> out = new ArrayList<>();
    out.add(SpanRecord.builder().traceId(t).spanId(root).serviceName("frontend").name("GET /play").kind(SpanKind.SERVER)
        .startNanos(startNanos).endNanos(startNanos + 5_000_000).attributes(Map.of("http.request.method", "GET",
            "http.response.status_code", 200L, "url.full", "http://frontend/play", "n", (long) n))
        .resourceAttributes(Map.of("service.name", "frontend", "host.name", "h1")).build());
    out.add(SpanRecord.builder().traceId(t).spanId(client).parentSpanId(root).serviceName("frontend").name("GET")
        .kind(SpanKind.CLIENT).startNanos(startNanos + 1_000_000).endNanos(startNanos + 4_000_000)
        .attributes(Map.of("peer.service", "dice-server", "ratio", 0.5, "ok", true))
        .resourceAttributes(Map.of("service.name", "frontend", "host.name", "h1"))
        .addEvent(new SpanEvent(startNanos + 2_000_000, "retry", Map.of("attempt", 1L)))
        .addLink(new SpanLink(traceId(n + 1_000_000), new SpanId(77), Map.of("why", "batch"))).build());
    out.add(SpanRecord.builder().traceId(t).spanId(server).parentSpanId(client).serviceName("dice-server")
        .name("GET /rolldice").kind(SpanKind.SERVER).startNanos(startNanos + 1_500_000)
        .endNanos(startNanos + 3_500_000).status(n % 10 == 0 ? StatusCode.ERROR : StatusCode.UNSET,
            n % 10 == 0 ? "boom" : "").scope("io.opentelemetry.flask", "0.1")
        .resourceAttributes(Map.of("service.name", "dice-server")).build());
    return out;
  }

  /** Two log lines of trace {@code n}: one correlated by OTLP ids, one by the X-Ray id in its text. */
  static List<LogRecord> logs(int n, long timeNanos) {
    TraceId t = traceId(n);
    return List.of(
        LogRecord.builder().serviceName("dice-server").logGroup("dice-server").logStream("pod-1")
            .timeNanos(timeNanos).severity("INFO", 9).body("rolled a " + (n % 6 + 1) + " for player" + n)
            .attributes(Map.of("n", (long) n)).traceId(t).spanId(new SpanId(((long) n << 8) | 3)).build(),
        LogRecord.builder().serviceName("frontend").logGroup("frontend").logStream("pod-2")
            .timeNanos(timeNanos + 1000).severity("WARN", 13)
            .body("slow dice call trace_id=" + t.xray() + "@" + new SpanId(((long) n << 8) | 2).hex())
            .resourceAttributes(Map.of("k8s.pod.name", "pod-2")).build());
  }

  /** Copies a live store's directory as a crash would leave it (files as they are; the OS lock is not copied). */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, target);
        }
      }
    }
  }

  static long treeBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    volatile long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
    @Override public long millis() { return millis; }
  }
}
