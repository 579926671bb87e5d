package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns and block files give back exactly what went in, and the trace-id index finds every trace. */
class BlockRoundTripTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  @TempDir Path tmp;

  @Test
  void span_columns_round_trip() {
    List<SpanRecord> spans = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      spans.addAll(Fixtures.trace(n, T0 + n * 7_000L));
    }
    Buf.Out raw = Columns.spans(spans);
    assertThat(Columns.spans(new Buf.In(raw.bytes, 0, raw.size), spans.size())).isEqualTo(spans);
  }

  @Test
  void log_columns_round_trip() {
    List<Head.StoredLog> logs = new ArrayList<>();
    long seq = 100;
    for (int n = 0; n < 50; n++) {
      for (LogRecord r : Fixtures.logs(n, T0 + n)) {
        logs.add(new Head.StoredLog(seq++, r));
      }
    }
    Buf.Out raw = Columns.logs(logs);
    assertThat(Columns.logs(new Buf.In(raw.bytes, 0, raw.size), logs.size())).isEqualTo(logs);
  }

  @Test
  void wal_codec_round_trips() {
    SpanRecord s = Fixtures.trace(3, T0).get(1);
    LogRecord r = Fixtures.logs(3, T0).get(1);
    Buf.Out o = new Buf.Out();
    RecordCodec.Resources written = new RecordCodec.Resources();
    RecordCodec.span(o, s, written);
    RecordCodec.span(o, s, written);
    RecordCodec.log(o, r, written);
    Buf.In in = new Buf.In(o.bytes, 0, o.size);
    RecordCodec.Resources read = new RecordCodec.Resources();
    SpanRecord first = RecordCodec.span(in, read);
    assertThat(first).isEqualTo(s);
    SpanRecord second = RecordCodec.span(in, read);
    assertThat(second).isEqualTo(s);
    assertThat(second.resourceAttributes()).isSameAs(first.resourceAttributes());
    assertThat(RecordCodec.log(in, read)).isEqualTo(r);
    assertThat(in.hasMore()).isFalse();
  }

  @Test
  void flushed_block_is_reopened_and_indexed() throws Exception {
    Path dir = tmp.resolve("store");
    List<SpanRecord> all = new ArrayList<>();
    try (EmbeddedStorage a = EmbeddedStorage.builder(dir).background(false).groupRows(16).build()) {
      for (int n = 0; n < 200; n++) {
        all.addAll(Fixtures.trace(n, T0 + n * 1_000_000L));
        a.logWriter().write(Fixtures.logs(n, T0 + n * 1_000_000L));
      }
      a.spanWriter().write(all);
      a.flush();
    }
    Path spansBlock;
    try (var files = java.nio.file.Files.list(dir.resolve("blocks"))) {
      spansBlock = files.filter(p -> p.toString().endsWith("-spans.blk")).findFirst().orElseThrow();
    }
    Block b = Block.open(spansBlock);
    assertThat(b.rows).isEqualTo(600);
    assertThat(b.groups).hasSize(600 / 16 + 1);
    assertThat(b.minTime).isEqualTo(T0);
    for (int n = 0; n < 200; n++) {
      TraceId id = Fixtures.traceId(n);
      int[] groups = b.groupsOf(id);
      // frontend spans and dice-server spans sort apart: at most a few groups, never a scan
      assertThat(groups.length).isBetween(1, 3);
      List<SpanRecord> found = new ArrayList<>();
      for (int g : groups) {
        Columns.spans(b.group(g), b.groups[g].rows()).stream().filter(s -> s.traceId().equals(id)).forEach(found::add);
      }
      assertThat(found).containsExactlyInAnyOrderElementsOf(Fixtures.trace(n, T0 + n * 1_000_000L));
    }
    try (EmbeddedStorage c = EmbeddedStorage.builder(dir).background(false).build()) {
      assertThat(c.retention().size().spans()).isEqualTo(600);
      assertThat(c.traceReader().trace(Fixtures.traceId(77)).orElseThrow().spans()).hasSize(3);
      assertThat(c.names().services()).containsExactly("dice-server", "frontend");
      assertThat(c.logSearch().search(dev.kansoku.store.LogQuery.builder().text("player77").build()).entries())
          .hasSize(1);
      assertThat(c.logSearch().search(dev.kansoku.store.LogQuery.builder().text("player7").build()).entries())
          .hasSize(1);
    }
  }

  @Test
  void word_blooms_skip_groups_without_the_word() throws Exception {
    Path dir = tmp.resolve("bloom");
    try (EmbeddedStorage a = EmbeddedStorage.builder(dir).background(false).groupRows(8).build()) {
      for (int n = 0; n < 100; n++) {
        a.logWriter().write(Fixtures.logs(n, T0 + n));
      }
      a.flush();
    }
    Path logsBlock;
    try (var files = java.nio.file.Files.list(dir.resolve("blocks"))) {
      logsBlock = files.filter(p -> p.toString().endsWith("-logs.blk")).findFirst().orElseThrow();
    }
    Block b = Block.open(logsBlock);
    long[] words = Words.required(dev.kansoku.store.TextQuery.parse("player42"));
    int pass = 0;
    for (int g = 0; g < b.groups.length; g++) {
      pass += b.mayContain(g, words) ? 1 : 0;
    }
    assertThat(b.groups.length).isEqualTo(25);
    assertThat(pass).isBetween(1, 3);
  }
}
