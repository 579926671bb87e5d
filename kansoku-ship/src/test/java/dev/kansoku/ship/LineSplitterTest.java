package dev.kansoku.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private final List<String> lines = new ArrayList<>();

  private void feed(LineSplitter s, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.accept(b, 0, b.length);
  }

  @Test
  void linesEndAtNewlineAndDropCarriageReturn() {
    LineSplitter s = new LineSplitter(100, lines::add);
    feed(s, "one\r\ntwo\n\nthr");
    assertThat(lines).containsExactly("one", "two", "");
    feed(s, "ee\n");
    assertThat(lines).containsExactly("one", "two", "", "three");
  }

  @Test
  void finishEmitsTheUnterminatedLine() {
    LineSplitter s = new LineSplitter(100, lines::add);
    feed(s, "no newline");
    assertThat(lines).isEmpty();
    s.finish();
    s.finish();
    assertThat(lines).containsExactly("no newline");
  }

  @Test
  void longLineIsCutAtACharacterBoundary() {
    LineSplitter s = new LineSplitter(8, lines::add);
    // "ab" + three 3-byte characters = 11 bytes: a cut at 8 would split the third character.
    feed(s, "ab観測値\n");
    assertThat(lines).containsExactly("ab観測", "値");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    LineSplitter s = new LineSplitter(100, lines::add);
    byte[] b = {'o', 'k', (byte) 0xff, '\n'};
    s.accept(b, 0, b.length);
    assertThat(lines).containsExactly("ok\uFFFD");
  }
}
