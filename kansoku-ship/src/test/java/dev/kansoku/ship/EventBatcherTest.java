package dev.kansoku.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBatcherTest {
  @Test
  void tenThousandEventsMakeABatch() {
    EventBatcher b = new EventBatcher();
    List<List<LogEvent>> done = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      done.addAll(b.add("line " + i, 1000));
    }
    assertThat(done).hasSize(1);
    assertThat(done.get(0)).hasSize(10_000);
    assertThat(done.get(0).get(9_999).message()).isEqualTo("line 9999");
    assertThat(b.drain()).extracting(LogEvent::message).containsExactly("line 10000");
  }

  @Test
  void bytesCountTwentySixPerEvent() {
    // 4 events of 262,118 bytes + 26 = 4 * 262,144 = 1,048,576: exactly the limit, so they share a batch.
    EventBatcher b = new EventBatcher();
    String max = "x".repeat(EventBatcher.MAX_EVENT_BYTES);
    List<List<LogEvent>> done = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      done.addAll(b.add(max, 1000));
    }
    assertThat(done).isEmpty();
    done.addAll(b.add("y", 1000));
    assertThat(done).hasSize(1);
    assertThat(done.get(0)).hasSize(4);
    assertThat(done.get(0).stream().mapToLong(e -> e.bytes() + 26L).sum()).isEqualTo(1_048_576);
    assertThat(b.drain()).extracting(LogEvent::message).containsExactly("y");
  }

  @Test
  void clockSteppingBackKeepsOrder() {
    EventBatcher b = new EventBatcher();
    b.add("a", 5000);
    b.add("b", 4000);
    b.add("c", 6000);
    assertThat(b.drain()).extracting(LogEvent::timestamp).containsExactly(5000L, 5000L, 6000L);
  }

  @Test
  void batchSpansAtMostADay() {
    EventBatcher b = new EventBatcher();
    assertThat(b.add("a", 0)).isEmpty();
    assertThat(b.add("b", EventBatcher.MAX_SPAN_MS)).isEmpty();
    List<List<LogEvent>> done = b.add("c", EventBatcher.MAX_SPAN_MS + 1);
    assertThat(done).hasSize(1);
    assertThat(done.get(0)).extracting(LogEvent::message).containsExactly("a", "b");
  }

  @Test
  void emptyLinesAreSkipped() {
    EventBatcher b = new EventBatcher();
    b.add("", 1);
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void longLineBecomesSeveralEventsWithItsTextIntact() {
    // 3-byte characters that do not divide the limit evenly: no piece may cut one in half.
    String line = "観測".repeat(100_000) + "!";
    EventBatcher b = new EventBatcher();
    b.add(line, 1);
    List<LogEvent> events = b.drain();
    assertThat(events).hasSize(3);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.bytes()).isLessThanOrEqualTo(EventBatcher.MAX_EVENT_BYTES);
      assertThat(e.message().getBytes(StandardCharsets.UTF_8)).hasSize(e.bytes());
    });
    assertThat(String.join("", events.stream().map(LogEvent::message).toList())).isEqualTo(line);
  }

  @Test
  void splitKeepsSurrogatePairsWhole() {
    String emoji = "\uD83C\uDFB2"; // a die, 4 UTF-8 bytes
    List<String> pieces = EventBatcher.split(emoji.repeat(5), 6);
    assertThat(pieces).containsExactly(emoji, emoji, emoji, emoji, emoji);
  }
}
