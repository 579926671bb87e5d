package dev.kansoku.aws.logs;

import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_MESSAGE_BYTES;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_SPAN_MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.aws.logs.LogEventBatcher.Oversize;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogEventBatcherTest {
  @Test
  void tenThousandEventsMakeABatch() {
    LogEventBatcher b = new LogEventBatcher(Oversize.SPLIT);
    List<List<LogEvent>> done = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      done.addAll(b.add(1000, "line " + i));
    }
    assertThat(done).hasSize(1);
    assertThat(done.get(0)).hasSize(10_000);
    assertThat(done.get(0).get(9_999).message()).isEqualTo("line 9999");
    assertThat(b.drain()).extracting(LogEvent::message).containsExactly("line 10000");
  }

  @Test
  void bytesCountTwentySixPerEvent() {
    // 4 events of 262,118 bytes + 26 = 4 * 262,144 = 1,048,576: exactly the limit, so they share a batch.
    LogEventBatcher b = new LogEventBatcher(Oversize.SPLIT);
    String max = "x".repeat(MAX_MESSAGE_BYTES);
    List<List<LogEvent>> done = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      done.addAll(b.add(1000, max));
    }
    assertThat(done).isEmpty();
    done.addAll(b.add(1000, "y"));
    assertThat(done).hasSize(1);
    assertThat(done.get(0)).hasSize(4);
    assertThat(done.get(0).stream().mapToLong(e -> e.bytes() + 26L).sum()).isEqualTo(1_048_576);
    assertThat(b.drain()).extracting(LogEvent::message).containsExactly("y");
  }

  @Test
  void clockSteppingBackKeepsOrder() {
    LogEventBatcher b = new LogEventBatcher(Oversize.SPLIT);
    b.add(5000, "a");
    b.add(4000, "b");
    b.add(6000, "c");
    assertThat(b.drain()).extracting(LogEvent::timestamp).containsExactly(5000L, 5000L, 6000L);
  }

  @Test
  void batchSpansAtMostADay() {
    LogEventBatcher b = new LogEventBatcher(Oversize.SPLIT);
    assertThat(b.add(0, "a")).isEmpty();
    assertThat(b.add(MAX_SPAN_MS, "b")).isEmpty();
    List<List<LogEvent>> done = b.add(MAX_SPAN_MS + 1, "c");
    assertThat(done).hasSize(1);
    assertThat(done.get(0)).extracting(LogEvent::message).containsExactly("a", "b");
  }

  @Test
  void emptyMessagesAreSkipped() {
    LogEventBatcher b = new LogEventBatcher(Oversize.SPLIT);
    b.add(1, "");
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void split_longMessageBecomesSeveralEventsWithItsTextIntact() {
    // 3-byte characters that do not divide the limit evenly: no piece may cut one in half.
    String line = "観測".repeat(100_000) + "!";
    LogEventBatcher b = new LogEventBatcher(Oversize.SPLIT);
    b.add(1, line);
    List<LogEvent> events = b.drain();
    assertThat(events).hasSize(3);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.bytes()).isLessThanOrEqualTo(MAX_MESSAGE_BYTES);
      assertThat(e.message().getBytes(StandardCharsets.UTF_8)).hasSize(e.bytes());
    });
    assertThat(String.join("", events.stream().map(LogEvent::message).toList())).isEqualTo(line);
  }

  @Test
  void split_keepsSurrogatePairsWhole() {
    String emoji = "\uD83C\uDFB2"; // a die, 4 UTF-8 bytes
    List<String> pieces = LogEventBatcher.split(emoji.repeat(5), 6);
    assertThat(pieces).containsExactly(emoji, emoji, emoji, emoji, emoji);
  }

  @Test
  void truncate_cutsAtACharacterBoundaryAndMarksTheCut() {
    // One ASCII byte, then 3-byte characters: the cut at 262,104 bytes falls inside a character.
    String message = "a" + "観".repeat(100_000);
    LogEventBatcher b = new LogEventBatcher(Oversize.TRUNCATE);
    b.add(1, message);
    List<LogEvent> events = b.drain();
    assertThat(events).hasSize(1);
    LogEvent e = events.get(0);
    assertThat(e.message()).endsWith("観[Truncated...]").startsWith("a観");
    assertThat(e.message().getBytes(StandardCharsets.UTF_8)).hasSize(e.bytes());
    assertThat(e.bytes()).isLessThanOrEqualTo(MAX_MESSAGE_BYTES).isGreaterThan(MAX_MESSAGE_BYTES - 3);
  }
}
