package dev.kansoku.ship;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines: {@code \n} ends a line, a {@code \r} before it is dropped, bytes are
 * UTF-8 (invalid sequences become U+FFFD). A line is never held beyond {@code maxLineBytes}: longer
 * lines go out in parts cut at a character boundary, so memory stays bounded on input without newlines.
 *
 * <p>Not thread-safe.
 */
final class LineSplitter {
  private final int maxLineBytes;
  private final Consumer<String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  LineSplitter(int maxLineBytes, Consumer<String> lines) {
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException("maxLineBytes: " + maxLineBytes + " (expected: >= 4)");
    }
    this.maxLineBytes = maxLineBytes;
    this.lines = lines;
  }

  void accept(byte[] buf, int off, int len) {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (buf[i] == '\n') {
        append(buf, start, i - start);
        emit(pending.toByteArray(), pending.size(), true);
        pending.reset();
        start = i + 1;
      }
    }
    append(buf, start, end - start);
  }

  /** Emits a last line that has no newline yet (end of input, or the file was rotated away). */
  void finish() {
    if (pending.size() > 0) {
      emit(pending.toByteArray(), pending.size(), true);
      pending.reset();
    }
  }

  private void append(byte[] buf, int off, int len) {
    pending.write(buf, off, len);
    while (pending.size() > maxLineBytes) {
      byte[] b = pending.toByteArray();
      int cut = maxLineBytes;
      // Back up to the first byte of a UTF-8 sequence (continuation bytes are 10xxxxxx).
      while (cut > maxLineBytes - 3 && (b[cut] & 0xC0) == 0x80) {
        cut--;
      }
      emit(b, cut, false);
      pending.reset();
      pending.write(b, cut, b.length - cut);
    }
  }

  private void emit(byte[] b, int len, boolean endOfLine) {
    if (endOfLine && len > 0 && b[len - 1] == '\r') {
      len--;
    }
    lines.accept(new String(b, 0, len, StandardCharsets.UTF_8));
  }
}
