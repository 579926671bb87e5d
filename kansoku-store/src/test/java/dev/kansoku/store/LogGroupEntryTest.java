package dev.kansoku.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The plain form backends persist an entry in comes back as the same entry. */
class LogGroupEntryTest {
  private static final long MS = 1_700_000_000_000L;

  @Test
  void toMap_fromMap_roundTrip() {
    TreeMap<String, LogGroupEntry.Stream> streams = new TreeMap<>();
    streams.put("idle", new LogGroupEntry.Stream("idle", MS, null, null, null, 0, 0));
    streams.put("task-1", new LogGroupEntry.Stream("task-1", MS + 1, MS - 5, MS, MS + 2, 7, 420));
    LogGroupEntry live = new LogGroupEntry("/ecs/dice", new LogGroupEntry.Group("/ecs/dice", MS, 30, 420, streams),
        MS * 1_000_000L, Map.of("old", MS * 1_000_000L + 9));
    LogGroupEntry deleted = LogGroupEntry.unused("/gone").withGroupCreated(MS)
        .withGroupDeleted(MS * 1_000_000L, List.of("s"));

    for (LogGroupEntry e : List.of(live, deleted, LogGroupEntry.unused("/never"))) {
      assertThat(LogGroupEntry.fromMap(e.name(), e.toMap())).isEqualTo(e);
    }
  }

  @Test
  void fromMap_takes_numbers_of_any_width() {
    // A JSON reader gives small numbers as Integer, large ones as Long.
    Map<String, Object> stream = Map.of("creationTime", MS, "first", 5, "last", 6, "lastIngestion", MS,
        "sequence", 1, "storedBytes", 3);
    Map<String, Object> group = Map.of("creationTime", MS, "retentionInDays", 7, "storedBytes", 3,
        "streams", Map.of("s", stream));
    LogGroupEntry e = LogGroupEntry.fromMap("/g", Map.of("group", group, "streamCutoffs", Map.of("t", 12)));
    assertThat(e.group().streams().get("s")).isEqualTo(new LogGroupEntry.Stream("s", MS, 5L, 6L, MS, 1, 3));
    assertThat(e.group().retentionInDays()).isEqualTo(7);
    assertThat(e.streamCutoffNanos()).isEqualTo(Map.of("t", 12L));
  }
}
