package dev.kansoku.store.embedded;

import static dev.kansoku.store.embedded.FaultyDisk.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.store.StorageException;
import dev.kansoku.store.embedded.FaultyDisk.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every acknowledged record survives a failing disk, exactly once. Each case makes one file operation
 * fail (a block's write, fsync or rename, the directory fsync, the RED sidecar, the checkpoint, the
 * WAL's append, fsync, rotation or segment deletion) while batches are written and flushed, then
 * either heals the disk or not, then ends as {@code kill -9} would (the live directory copied, the
 * store never closed) or with a clean close, and opens the result on a healthy disk.
 *
 * <p>A batch whose write returned is acknowledged: it must be there once. A batch whose write threw
 * was refused: it must not be there either (the WAL truncates what it could not sync), so a sender's
 * retry cannot duplicate it.
 */
class FaultInjectionTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  /** The maintenance thread enforces retention against the real clock; the fixtures are from 2023. */
  private static final Duration KEEP_ALL = Duration.ofDays(36_500);

  @TempDir Path tmp;

  /** Where the fault is: the operation and the files it applies to. */
  record Fault(String name, Op op, Predicate<Path> where) {
    @Override
    public String toString() {
      return name;
    }
  }

  enum Ending { KILL_9, CLEAN_STOP }

  static Stream<Arguments> cases() {
    List<Fault> faults = List.of(
        new Fault("span block write", Op.WRITE, named("-spans.blk.tmp")),
        new Fault("span block fsync", Op.FORCE, named("-spans.blk.tmp")),
        new Fault("span block rename", Op.MOVE, named("-spans.blk")),
        new Fault("blocks directory fsync", Op.FORCE_DIR, p -> p.endsWith("blocks")),
        new Fault("block file create", Op.OPEN, named(".blk.tmp")),
        new Fault("RED sidecar write", Op.WRITE, named(".red.tmp")),
        new Fault("log block write (after the span block)", Op.WRITE, named("-logs.blk.tmp")),
        new Fault("metric block fsync", Op.FORCE, named("-metrics.blk.tmp")),
        new Fault("checkpoint write", Op.WRITE, named("checkpoint.tmp")),
        new Fault("checkpoint rename", Op.MOVE, named("checkpoint")),
        new Fault("WAL append", Op.WRITE, named(".wal")),
        new Fault("WAL fsync", Op.FORCE, named(".wal")),
        new Fault("WAL rotation (new segment)", Op.OPEN, named(".wal")),
        new Fault("WAL directory fsync", Op.FORCE_DIR, p -> p.endsWith("wal")),
        new Fault("WAL segment deletion", Op.DELETE, named(".wal")));
    List<Arguments> out = new ArrayList<>();
    for (Fault f : faults) {
      for (Ending e : Ending.values()) {
        for (boolean healed : new boolean[] {true, false}) {
          out.add(Arguments.of(f, e, healed));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, healed={2}")
  @MethodSource("cases")
  void every_acknowledged_record_is_there_once_and_no_refused_one(Fault fault, Ending ending, boolean healed)
      throws Exception {
    Path live = tmp.resolve("live");
    FaultyDisk disk = new FaultyDisk();
    EmbeddedStorage store = EmbeddedStorage.builder(live).background(false).disk(disk).build();
    Ledger ledger = new Ledger(T0);
    ledger.write(store, 0);
    ledger.write(store, 1);
    store.flush(); // blocks exist before the fault, so a later flush has earlier state to protect
    ledger.write(store, 2);

    disk.failAlways(fault.op(), fault.where());
    ledger.flush(store);
    ledger.write(store, 3);
    ledger.flush(store);
    ledger.write(store, 4);
    assertThat(disk.injected()).as("the fault was reached").isPositive();

    if (healed) {
      disk.heal();
      store.flush(); // resumes without a restart: earlier failed heads first
      ledger.write(store, 5);
      assertThat(ledger.acked).as("writes resume once the disk is healthy").contains(5);
    }

    Path reopened = live;
    if (ending == Ending.KILL_9) {
      reopened = tmp.resolve("after-kill");
      Fixtures.copyTree(live, reopened);
    } else {
      store.close();
    }
    try (EmbeddedStorage b = EmbeddedStorage.builder(reopened).background(false).build()) {
      ledger.verify(b);
    } finally {
      store.close();
    }
  }

  @Test
  void a_failed_flush_followed_by_a_good_one_loses_nothing() throws Exception {
    // The reported defect: blocks could not be written once (an immutable directory); the next flush
    // succeeded and deleted the WAL segment that still held the first head.
    Path live = tmp.resolve("live");
    FaultyDisk disk = new FaultyDisk();
    EmbeddedStorage store = EmbeddedStorage.builder(live).background(false).disk(disk).build();
    Ledger ledger = new Ledger(T0);
    ledger.write(store, 0);
    disk.failNext(Op.OPEN, named(".blk.tmp"), 1);
    assertThatThrownBy(store::flush).isInstanceOf(StorageException.class).hasMessageContaining("flush of WAL segments");
    ledger.write(store, 1);
    store.flush();
    ledger.write(store, 2);
    store.flush();
    Path copy = tmp.resolve("after-kill");
    Fixtures.copyTree(live, copy);
    try (EmbeddedStorage b = EmbeddedStorage.builder(copy).background(false).build()) {
      ledger.verify(b);
      assertThat(b.retention().size().spans()).isEqualTo(3 * 3);
    }
    store.close();
  }

  @Test
  void a_wal_that_cannot_truncate_refuses_writes_until_it_can() throws Exception {
    Path live = tmp.resolve("live");
    FaultyDisk disk = new FaultyDisk();
    EmbeddedStorage store = EmbeddedStorage.builder(live).background(false).disk(disk).build();
    Ledger ledger = new Ledger(T0);
    ledger.write(store, 0);
    disk.failAlways(Op.FORCE, named(".wal")).failAlways(Op.TRUNCATE, named(".wal"));
    ledger.write(store, 1);
    ledger.write(store, 2);
    assertThat(ledger.refused).containsExactly(1, 2);
    disk.heal();
    ledger.write(store, 3);
    store.close();
    try (EmbeddedStorage b = EmbeddedStorage.builder(live).background(false).build()) {
      ledger.verify(b);
    }
  }

  @Test
  void the_backlog_is_bounded_while_flushes_fail_and_drains_by_itself_after() throws Exception {
    Path live = tmp.resolve("live");
    FaultyDisk disk = new FaultyDisk();
    EmbeddedStorage store = EmbeddedStorage.builder(live).disk(disk).retention(KEEP_ALL).headMaxSpans(30).headMaxLogs(1_000)
        .headMaxPoints(1_000).build();
    disk.failAlways(Op.OPEN, named(".blk.tmp"));
    Ledger ledger = new Ledger(T0);
    StorageException refusal = null;
    for (int i = 0; i < 200 && refusal == null; i++) {
      try {
        ledger.writeOrThrow(store, i);
      } catch (StorageException e) {
        refusal = e;
      }
      Thread.sleep(5);
    }
    assertThat(refusal).as("writers are refused once a failing flush has filled the backlog").isNotNull();
    assertThat(refusal.overloaded()).isTrue();
    assertThat(ledger.acked.size() * 3).as("spans held in memory stay within 3 heads").isLessThanOrEqualTo(3 * 30 + 3);

    disk.heal();
    int next = 1_000;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline && !hasBlock(live)) {
      try {
        ledger.writeOrThrow(store, next++);
      } catch (StorageException e) {
        // still draining: the maintenance thread retries the flush with backoff
      }
      Thread.sleep(50);
    }
    assertThat(hasBlock(live)).as("the pending flush completed by itself").isTrue();
    boolean accepted = false;
    for (int i = 0; i < 200 && !accepted; i++) {
      try {
        ledger.writeOrThrow(store, next++);
        accepted = true;
      } catch (StorageException e) {
        Thread.sleep(50); // the last of the backlog is still being written
      }
    }
    assertThat(accepted).as("writes are accepted again").isTrue();
    store.close();
    try (EmbeddedStorage b = EmbeddedStorage.builder(live).background(false).build()) {
      ledger.verify(b);
    }
  }

  private static boolean hasBlock(Path dir) {
    String[] names = dir.resolve("blocks").toFile().list();
    return names != null && Stream.of(names).anyMatch(n -> n.endsWith("-spans.blk"));
  }

  @Test
  void an_error_in_a_flush_does_not_end_the_maintenance_thread() throws Exception {
    Path live = tmp.resolve("live");
    FaultyDisk disk = new FaultyDisk();
    EmbeddedStorage store = EmbeddedStorage.builder(live).disk(disk).retention(KEEP_ALL).headMaxSpans(3)
        .build();
    disk.errorNext(Op.OPEN, named("-spans.blk.tmp"), new OutOfMemoryError("injected"));
    Ledger ledger = new Ledger(T0);
    ledger.writeOrThrow(store, 0);
    ledger.writeOrThrow(store, 1);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline && !hasBlock(live)) {
      Thread.sleep(100);
    }
    assertThat(disk.injected()).isEqualTo(1);
    assertThat(hasBlock(live)).as("a later flush ran").isTrue();
    store.close();
    try (EmbeddedStorage b = EmbeddedStorage.builder(live).background(false).build()) {
      ledger.verify(b);
    }
  }
}
