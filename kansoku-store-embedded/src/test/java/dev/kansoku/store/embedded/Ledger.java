package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which batches were acknowledged and which refused, per signal; batch {@code n} is trace n's
 * spans, its logs and one metric point, each written (and acknowledged) on its own.
 */
final class Ledger {
  private final long t0;
  final List<Integer> acked = new ArrayList<>();
  final List<Integer> refused = new ArrayList<>();
  final List<Integer> logsAcked = new ArrayList<>();
  final List<Integer> logsRefused = new ArrayList<>();
  long pointsAcked;

  Ledger(long t0) {
    this.t0 = t0;
  }

  void write(EmbeddedStorage s, int n) {
    try {
      writeOrThrow(s, n);
    } catch (StorageException e) {
      // refused: the sender was told, so it must not be stored
    }
  }

  /** Writes the three signals of batch n; throws at the first refusal. */
  void writeOrThrow(EmbeddedStorage s, int n) {
    long t = t0 + n * 1_000_000L;
    try {
      s.spanWriter().write(Fixtures.trace(n, t));
    } catch (StorageException e) {
      refused.add(n);
      throw e;
    }
    acked.add(n);
    try {
      s.logWriter().write(Fixtures.logs(n, t));
    } catch (StorageException e) {
      logsRefused.add(n);
      throw e;
    }
    logsAcked.add(n);
    s.metricWriter().write(List.of(point(n, t)));
    pointsAcked++;
  }

  void flush(EmbeddedStorage s) {
    try {
      s.flush();
    } catch (StorageException e) {
      // the fault; the data stays in memory and in the WAL
    }
  }

  void verify(EmbeddedStorage b) {
    for (int n : acked) {
      long t = t0 + n * 1_000_000L;
      Optional<List<SpanRecord>> spans = b.traceReader().trace(Fixtures.traceId(n)).map(x -> x.spans());
      assertThat(spans).as("trace %d", n).isPresent();
      assertThat(spans.get()).as("trace %d, once", n).containsExactlyInAnyOrderElementsOf(Fixtures.trace(n, t));
    }
    for (int n : refused) {
      assertThat(b.traceReader().trace(Fixtures.traceId(n))).as("refused trace %d", n).isEmpty();
    }
    for (int n : logsAcked) {
      assertThat(logsOf(b, n)).as("logs of trace %d, once", n)
          .containsExactlyElementsOf(Fixtures.logs(n, t0 + n * 1_000_000L));
    }
    for (int n : logsRefused) {
      assertThat(logsOf(b, n)).as("refused logs of trace %d", n).isEmpty();
    }
    assertThat(b.retention().size().spans()).isEqualTo(3L * acked.size());
    assertThat(b.retention().size().logRecords()).isEqualTo(2L * logsAcked.size());
    assertThat(b.retention().size().metricPoints()).isEqualTo(pointsAcked);
  }

  private static List<LogRecord> logsOf(EmbeddedStorage b, int n) {
    return b.logSearch().search(LogQuery.builder().traceId(Fixtures.traceId(n)).build())
        .entries().stream().map(LogEntry::record).toList();
  }

  private static MetricPoint point(int n, long t) {
    return MetricPoint.value("dice", "rolls", "Count", Map.of("batch", Integer.toString(n)), t, MetricKind.SUM, n);
  }
}
