package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.store.LogGroupCatalog;
import dev.kansoku.store.LogGroupEntry;
import dev.kansoku.store.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log group catalog of the embedded store lives in its directory: it survives a close and a
 * crash (a copy of a directory whose store was never closed, as {@code kill -9} leaves it), reads the
 * {@code log-groups.json} of earlier builds, and refuses a change the disk refuses.
 */
class LogGroupFileTest {
  private static final long MS = 1_700_000_000_000L;
  private static final long NS = MS * 1_000_000L;

  @TempDir Path tmp;

  private static EmbeddedStorage open(Path dir, Fixtures.MutableClock clock) {
    return EmbeddedStorage.builder(dir).background(false).clock(clock).build();
  }

  /** Groups, a stream, retention, a deleted stream and a deleted group, and two puts. */
  private static void change(LogGroupCatalog c) {
    c.createGroup("/ecs/dice", MS);
    c.createStream("/ecs/dice", "task-1", MS + 1);
    c.createStream("/ecs/dice", "task-2", MS + 2);
    c.putRetention("/ecs/dice", 30);
    c.deleteStream("/ecs/dice", "task-2", NS + 5);
    c.createGroup("/ecs/old", MS);
    c.deleteGroup("/ecs/old", NS + 7, List.of("s"));
    c.recordPut("/ecs/dice", "task-1", 100, 200, 40, MS + 10);
    c.recordPut("/ecs/dice", "task-1", 300, 300, 2, MS + 1010);
  }

  private static void assertMetadata(LogGroupCatalog c, long sequence) {
    assertThat(c.groups()).extracting(LogGroupEntry.Group::name).containsExactly("/ecs/dice");
    LogGroupEntry dice = c.entry("/ecs/dice").orElseThrow();
    assertThat(dice.group().retentionInDays()).isEqualTo(30);
    assertThat(dice.group().streams()).containsOnlyKeys("task-1");
    assertThat(dice.group().streams().get("task-1").sequence()).isEqualTo(sequence);
    assertThat(dice.visible("task-2", NS + 5)).isFalse();
    LogGroupEntry old = c.entry("/ecs/old").orElseThrow();
    assertThat(old.exists()).isFalse();
    assertThat(List.of(old.visible("s", NS + 7), old.visible("s", NS + 8))).containsExactly(false, true);
  }

  @Test
  void metadata_survives_close_and_reopen() {
    Path dir = tmp.resolve("data");
    Fixtures.MutableClock clock = new Fixtures.MutableClock(MS);
    try (EmbeddedStorage s = open(dir, clock)) {
      change(s.logGroups()); // the puts' statistics wait for the next write (5 s): close writes them
    }
    try (EmbeddedStorage s = open(dir, clock)) {
      assertMetadata(s.logGroups(), 2);
      assertThat(s.logGroups().entry("/ecs/dice").orElseThrow().group().storedBytes()).isEqualTo(42);
    }
  }

  @Test
  void metadata_survives_a_crash_with_statistics_of_up_to_five_seconds_lost() throws Exception {
    Path live = tmp.resolve("live");
    Fixtures.MutableClock clock = new Fixtures.MutableClock(MS);
    try (EmbeddedStorage s = open(live, clock)) {
      change(s.logGroups());
      Fixtures.copyTree(live, tmp.resolve("crashed"));
      clock.millis += LogGroupFile.STATS_SAVE_MILLIS;
      s.logGroups().recordPut("/ecs/dice", "task-1", 400, 400, 1, MS + 5000);
      Fixtures.copyTree(live, tmp.resolve("crashed-later"));
    }
    try (EmbeddedStorage s = open(tmp.resolve("crashed"), clock)) {
      assertMetadata(s.logGroups(), 0); // the puts came within 5 s of the last write: not written yet
    }
    try (EmbeddedStorage s = open(tmp.resolve("crashed-later"), clock)) {
      assertMetadata(s.logGroups(), 3);
    }
  }

  @Test
  void reads_the_file_of_earlier_builds() throws Exception {
    Path dir = tmp.resolve("data");
    Files.createDirectories(dir);
    // As LogGroupRegistry wrote it before the catalog became a storage role.
    Files.writeString(dir.resolve("log-groups.json"), """
        {"version":1,"lastTick":1700000000200000000,"groups":{"/ecs/dice":{"creationTime":1700000000000,\
        "retentionInDays":30,"storedBytes":42,"streams":{"task-1":{"creationTime":1700000000001,\
        "first":1699999999000,"last":1700000000000,"lastIngestion":1700000000100,"sequence":2,"storedBytes":42},\
        "idle":{"creationTime":1700000000002,"sequence":0,"storedBytes":0}}}},\
        "groupCutoffs":{"/ecs/old":1700000000120000000},\
        "streamCutoffs":{"/ecs/old\\u0000s":1700000000120000000,"/ecs/dice\\u0000task-2":1700000000110000000}}
        """);
    Fixtures.MutableClock clock = new Fixtures.MutableClock(MS);
    try (EmbeddedStorage s = open(dir, clock)) {
      LogGroupEntry dice = s.logGroups().entry("/ecs/dice").orElseThrow();
      TreeMap<String, LogGroupEntry.Stream> streams = new TreeMap<>();
      streams.put("idle", new LogGroupEntry.Stream("idle", MS + 2, null, null, null, 0, 0));
      streams.put("task-1", new LogGroupEntry.Stream("task-1", MS + 1, MS - 1000, MS, MS + 100, 2, 42));
      assertThat(dice.group()).isEqualTo(new LogGroupEntry.Group("/ecs/dice", MS, 30, 42, streams));
      assertThat(dice.visible("task-2", NS + 110_000_000)).isFalse();
      assertThat(dice.visible("task-2", NS + 110_000_001)).isTrue();
      LogGroupEntry old = s.logGroups().entry("/ecs/old").orElseThrow();
      assertThat(old.exists()).isFalse();
      assertThat(old.visible("s", NS + 120_000_000)).isFalse();
      s.logGroups().createStream("/ecs/dice", "task-3", MS + 3);
    }
    try (EmbeddedStorage s = open(dir, clock)) {
      assertThat(s.logGroups().entry("/ecs/dice").orElseThrow().group().streams())
          .containsOnlyKeys("idle", "task-1", "task-3");
      assertThat(s.logGroups().entry("/ecs/old").orElseThrow().visible("s", NS + 120_000_000)).isFalse();
    }
  }

  @Test
  void an_unreadable_file_stops_the_open_with_what_to_do() throws Exception {
    Path dir = tmp.resolve("data");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("log-groups.json"), "{\"version\": 1, \"groups\": ");
    EmbeddedStorage s = open(dir, new Fixtures.MutableClock(MS));
    assertThatThrownBy(() -> s.logGroups().groups()).isInstanceOf(StorageException.class)
        .hasMessageContaining("log-groups.json is unreadable").hasMessageContaining("move it away");
    s.close();
    // The directory's LOCK was released: once the file is gone, the store opens.
    Files.delete(dir.resolve("log-groups.json"));
    try (EmbeddedStorage again = open(dir, new Fixtures.MutableClock(MS))) {
      assertThat(again.logGroups().groups()).isEmpty();
    }
  }

  @Test
  void a_change_the_disk_refuses_is_not_made() {
    Path dir = tmp.resolve("data");
    FaultyDisk disk = new FaultyDisk();
    try (EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).disk(disk).build()) {
      s.logGroups().createGroup("/kept", MS);
      disk.failAlways(FaultyDisk.Op.MOVE, FaultyDisk.named("log-groups.json"));
      assertThatThrownBy(() -> s.logGroups().createGroup("/refused", MS)).isInstanceOf(StorageException.class)
          .hasMessageContaining("cannot write").hasMessageContaining("injected: MOVE failed");
      assertThat(s.logGroups().groups()).extracting(LogGroupEntry.Group::name).containsExactly("/kept");
      disk.heal();
      s.logGroups().createGroup("/refused", MS);
    }
    try (EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).build()) {
      assertThat(s.logGroups().groups()).extracting(LogGroupEntry.Group::name).containsExactly("/kept", "/refused");
    }
  }
}
