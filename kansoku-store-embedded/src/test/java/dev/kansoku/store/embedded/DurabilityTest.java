package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.Retention;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a crash. A crash is simulated by copying the directory of a live store that was
 * never closed (what {@code kill -9} leaves: only what reached the files) and opening the copy.
 */
class DurabilityTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  @TempDir Path tmp;

  @Test
  void acknowledged_batches_from_concurrent_writers_survive_a_crash() throws Exception {
    Path live = tmp.resolve("live");
    EmbeddedStorage a = EmbeddedStorage.builder(live).background(false).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        for (int b = 0; b < 25; b++) {
          List<SpanRecord> spans = new ArrayList<>();
          List<LogRecord> logs = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            int n = writer * 10_000 + b * 10 + i;
            spans.addAll(Fixtures.trace(n, T0 + n * 1_000_000L));
            logs.addAll(Fixtures.logs(n, T0 + n * 1_000_000L));
          }
          a.spanWriter().write(spans);
          a.logWriter().write(logs);
          if (writer == 0 && b == 12) {
            a.flush(); // half in blocks, half in the WAL
          }
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    Path copy = tmp.resolve("crashed");
    Fixtures.copyTree(live, copy);

    try (EmbeddedStorage b = EmbeddedStorage.builder(copy).background(false).build()) {
      Retention.StoreSize size = b.retention().size();
      assertThat(size.spans()).isEqualTo(4 * 25 * 10 * 3);
      assertThat(size.logRecords()).isEqualTo(4 * 25 * 10 * 2);
      for (int w = 0; w < 4; w++) {
        for (int n = w * 10_000; n < w * 10_000 + 250; n += 7) {
          assertThat(b.traceReader().trace(Fixtures.traceId(n)).orElseThrow().spans())
              .containsExactlyInAnyOrderElementsOf(Fixtures.trace(n, T0 + n * 1_000_000L));
          List<LogRecord> logs = b.logSearch().search(LogQuery.builder().traceId(Fixtures.traceId(n)).build())
              .entries().stream().map(LogEntry::record).toList();
          assertThat(logs).containsExactlyElementsOf(Fixtures.logs(n, T0 + n * 1_000_000L));
        }
      }
    }
    a.close();
  }

  @Test
  void torn_wal_tail_is_truncated_not_fatal() throws Exception {
    Path live = tmp.resolve("live");
    EmbeddedStorage a = EmbeddedStorage.builder(live).background(false).build();
    a.spanWriter().write(Fixtures.trace(1, T0));
    a.spanWriter().write(Fixtures.trace(2, T0 + 1));
    Path copy = tmp.resolve("torn");
    Fixtures.copyTree(live, copy);
    a.close();
    Path segment = Wal.segments(copy.resolve("wal")).get(0);
    long intact = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      // a frame header promising 1000 bytes, followed by only a few: a write cut short by the crash
      ch.write(ByteBuffer.allocate(14).putInt(1000).putInt(42).putShort((short) 7).flip());
    }

    try (EmbeddedStorage b = EmbeddedStorage.builder(copy).background(false).build()) {
      assertThat(b.traceReader().trace(Fixtures.traceId(1))).isPresent();
      assertThat(b.traceReader().trace(Fixtures.traceId(2))).isPresent();
      assertThat(Files.size(segment)).isEqualTo(intact);
    }
  }

  @Test
  void corrupt_frame_ends_replay_at_the_last_good_frame() throws Exception {
    Path dir = tmp.resolve("corrupt");
    try (EmbeddedStorage a = EmbeddedStorage.builder(dir).background(false).build()) {
      a.spanWriter().write(Fixtures.trace(1, T0));
      a.spanWriter().write(Fixtures.trace(2, T0 + 1));
    }
    Path segment = Wal.segments(dir.resolve("wal")).get(0);
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 3] ^= 0x55; // flip bits inside the second frame's payload
    Files.write(segment, bytes);

    try (EmbeddedStorage b = EmbeddedStorage.builder(dir).background(false).build()) {
      assertThat(b.traceReader().trace(Fixtures.traceId(1))).isPresent();
      assertThat(b.traceReader().trace(Fixtures.traceId(2))).isEmpty();
    }
  }

  @Test
  void crash_between_block_and_wal_deletion_does_not_duplicate() throws Exception {
    Path live = tmp.resolve("live");
    EmbeddedStorage a = EmbeddedStorage.builder(live).background(false).build();
    a.spanWriter().write(Fixtures.trace(1, T0));
    a.logWriter().write(Fixtures.logs(1, T0));
    Path copy = tmp.resolve("mid-flush");
    Fixtures.copyTree(live, copy); // WAL segment still there
    a.flush();
    try (var files = Files.list(live.resolve("blocks"))) {
      for (Path p : files.toList()) {
        Files.copy(p, copy.resolve("blocks").resolve(p.getFileName())); // ...and the blocks already durable
      }
    }
    a.close();

    try (EmbeddedStorage b = EmbeddedStorage.builder(copy).background(false).build()) {
      assertThat(b.retention().size().spans()).isEqualTo(3);
      assertThat(b.retention().size().logRecords()).isEqualTo(2);
      assertThat(b.logSearch().search(LogQuery.builder().build()).entries()).hasSize(2);
    }
  }

  @Test
  void log_ids_stay_stable_and_unique_across_restart() throws Exception {
    Path dir = tmp.resolve("ids");
    List<String> before;
    try (EmbeddedStorage a = EmbeddedStorage.builder(dir).background(false).build()) {
      a.logWriter().write(Fixtures.logs(1, T0));
      a.flush();
      a.logWriter().write(Fixtures.logs(2, T0 + 10));
      before = a.logSearch().search(LogQuery.builder().build()).entries().stream().map(LogEntry::id).toList();
    }
    try (EmbeddedStorage b = EmbeddedStorage.builder(dir).background(false).build()) {
      assertThat(b.logSearch().search(LogQuery.builder().build()).entries().stream().map(LogEntry::id).toList())
          .isEqualTo(before);
      b.logWriter().write(Fixtures.logs(3, T0 + 20));
      List<String> ids = b.logSearch().search(LogQuery.builder().build()).entries().stream().map(LogEntry::id).toList();
      assertThat(ids).hasSize(6).doesNotHaveDuplicates();
    }
  }

  @Test
  void a_second_store_on_the_same_directory_is_refused() {
    Path dir = tmp.resolve("locked");
    try (EmbeddedStorage a = EmbeddedStorage.builder(dir).background(false).build();
        EmbeddedStorage b = EmbeddedStorage.builder(dir).background(false).build()) {
      assertThat(a.check().ok()).isTrue();
      assertThat(b.check().ok()).isFalse();
    }
  }
}
