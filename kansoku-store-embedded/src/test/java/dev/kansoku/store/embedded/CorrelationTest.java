package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 traces, each with log lines in the seed's logback format (the X-Ray id only in the text),
 * half flushed into blocks: every trace finds its own lines and nothing else, and every line leads
 * back to its trace.
 */
class CorrelationTest {
  @TempDir Path dir;

  @Test
  void thousandTraces_andTheirSeedFormatLogs_findEachOther() {
    SplittableRandom random = new SplittableRandom(7);
    long t0 = System.currentTimeMillis() * 1_000_000L - 3_600_000_000_000L;
    List<TraceId> ids = new ArrayList<>();
    try (EmbeddedStorage store = EmbeddedStorage.builder(dir).background(false).build()) {
      store.open();
      for (int n = 0; n < 1000; n++) {
        TraceId id = new TraceId((t0 / 1_000_000_000L) << 32 | random.nextInt() & 0xffffffffL, random.nextLong());
        SpanId span = new SpanId(random.nextLong() | 1);
        long start = t0 + n * 1_000_000L;
        ids.add(id);
        store.spanWriter().write(List.of(SpanRecord.builder().traceId(id).spanId(span).serviceName("dice-server")
            .name("GET /rolldice").kind(SpanKind.SERVER).startNanos(start).endNanos(start + 2_000_000L)
            .status(StatusCode.UNSET, "").build()));
        // The seed's pattern: trace_id=%X{AWS-XRAY-TRACE-ID} span_id=%X{span_id} trace_flags=%X{trace_flags} %msg
        String prefix = "00:50:13.242 trace_id=" + id.xray() + "@" + span.hex() + " span_id=" + span.hex()
            + " trace_flags=01 ";
        store.logWriter().write(List.of(
            log(start, prefix + "GET \"/rolldice\", parameters={}"),
            log(start + 1, prefix + "Player is rolling the dice: " + (n % 6 + 1))));
        if (n == 499) {
          store.flush();
        }
      }
      for (TraceId id : ids) {
        List<LogEntry> lines = store.logSearch().search(LogQuery.builder().traceId(id).limit(10).build()).entries();
        assertThat(lines).as("logs of %s", id.xray()).hasSize(2)
            .allSatisfy(e -> assertThat(e.record().body()).contains("trace_id=" + id.xray() + "@"));
        for (LogEntry e : lines) {
          assertThat(e.record().traceId()).isEqualTo(id);
          assertThat(store.traceReader().trace(e.record().traceId()).orElseThrow().spans()).hasSize(1);
        }
      }
    }
  }

  private static LogRecord log(long time, String body) {
    return LogRecord.builder().timeNanos(time).observedTimeNanos(time).logGroup("/ecs/dice").logStream("ecs/dice/1")
        .serviceName("dice-server").body(body).build();
  }
}
