package dev.kansoku.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What only the in-memory backend promises: its bounds, eviction order, closing, concurrent use. */
class InMemoryStorageBoundsTest {
  static SpanRecord span(long trace, long span, long startNanos) {
    return SpanRecord.builder().traceId(new TraceId(0x655415c5L << 32, trace)).spanId(new SpanId(span))
        .serviceName("svc").name("op").kind(SpanKind.SERVER).startNanos(startNanos).endNanos(startNanos + 10).build();
  }

  static LogRecord log(long timeNanos, long trace) {
    return LogRecord.builder().serviceName("svc").timeNanos(timeNanos).body("line " + timeNanos)
        .traceId(new TraceId(0x655415c5L << 32, trace)).build();
  }

  @Test
  void spans_evict_whole_oldest_traces() {
    InMemoryStorage s = InMemoryStorage.builder().maxSpans(4).build();
    s.spanWriter().write(List.of(span(1, 1, 100), span(1, 2, 101), span(2, 3, 50)));
    s.spanWriter().write(List.of(span(3, 4, 10), span(3, 5, 11)));
    // 5 spans > 4: trace 1 arrived first and goes whole, though trace 2 and 3 started earlier.
    assertThat(s.retention().size().spans()).isEqualTo(3);
    assertThat(s.traceReader().trace(new TraceId(0x655415c5L << 32, 1))).isEmpty();
    assertThat(s.traceReader().trace(new TraceId(0x655415c5L << 32, 3)).orElseThrow().spans()).hasSize(2);
  }

  @Test
  void logs_evict_oldest_by_time_and_leave_trace_index_consistent() {
    InMemoryStorage s = InMemoryStorage.builder().maxLogRecords(2).build();
    s.logWriter().write(List.of(log(300, 7), log(100, 7), log(200, 8)));
    assertThat(s.retention().size().logRecords()).isEqualTo(2);
    LogPage ofSeven = s.logSearch().search(LogQuery.builder().traceId(new TraceId(0x655415c5L << 32, 7)).build());
    assertThat(ofSeven.entries()).extracting(e -> e.record().timeNanos()).containsExactly(300L);
  }

  @Test
  void metric_points_evict_oldest() {
    InMemoryStorage s = InMemoryStorage.builder().maxMetricPoints(1).build();
    s.metricWriter().write(List.of(MetricPoint.value("ns", "m", "", Map.of(), 2_000_000_000L, MetricKind.GAUGE, 2),
        MetricPoint.value("ns", "m", "", Map.of(), 1_000_000_000L, MetricKind.GAUGE, 1)));
    List<MetricSeries> series = s.metricSearch().query(MetricQuery.builder("ns", "m").window(0, 10_000_000_000L)
        .statistic(Statistic.SUM).build());
    assertThat(series.get(0).values(Statistic.SUM)).containsExactly(2.0);
  }

  @Test
  void bounds_must_be_positive() {
    assertThatThrownBy(() -> InMemoryStorage.builder().maxSpans(0)).hasMessage("maxSpans <= 0: 0");
  }

  @Test
  void closed_store_fails_check_and_calls() {
    InMemoryStorage s = InMemoryStorage.builder().build();
    s.close();
    assertThat(s.check().ok()).isFalse();
    assertThat(s.check().error()).hasMessage("in-memory store: closed");
    assertThatThrownBy(() -> s.spanWriter().write(List.of())).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> s.names().services()).hasMessage("in-memory store: closed");
  }

  @Test
  void concurrent_writers_and_readers() throws Exception {
    InMemoryStorage s = InMemoryStorage.builder().maxSpans(5_000).maxLogRecords(5_000).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          for (int i = 1; i <= 2_000; i++) {
            long trace = writer * 100_000L + i;
            s.spanWriter().write(List.of(span(trace, 1, i), span(trace, 2, i + 1)));
            s.logWriter().write(List.of(log(i, trace)));
          }
        }));
      }
      for (int r = 0; r < 2; r++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            s.traceSearch().search(TraceQuery.builder().limit(10).build());
            s.logSearch().search(LogQuery.builder().text("line").limit(10).build());
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Retention.StoreSize size = s.retention().size();
    assertThat(size.spans()).isLessThanOrEqualTo(5_000).isEqualTo(5_000);
    assertThat(size.logRecords()).isEqualTo(4_000);
  }
}
