package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.store.StorageException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatTest {
  private static final long NOW_MS = 1_763_000_000_000L;

  @Test
  void a_new_directory_is_marked_and_reopens(@TempDir Path dir) throws Exception {
    try (EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).build()) {
      s.spanWriter().write(Fixtures.trace(1, NOW_MS * 1_000_000L));
    }
    assertThat(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("format"))).getLong()).isEqualTo(EmbeddedStorage.FORMAT);
    try (EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).build()) {
      assertThat(s.traceReader().trace(Fixtures.traceId(1))).isPresent();
    }
  }

  @Test
  void data_without_a_format_marker_is_refused_not_misread(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("wal"));
    Files.write(dir.resolve("wal").resolve(String.format("%020d.wal", 1)), new byte[] {0, 0, 0, 4, 1, 2, 3, 4});
    EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).build();
    assertThatThrownBy(s::open).isInstanceOf(StorageException.class)
        .hasMessageContaining("earlier build of Kansoku").hasMessageContaining("move the directory away");
    assertThat(Files.exists(dir.resolve("format"))).isFalse();
  }

  @Test
  void another_format_is_refused(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("format"), ByteBuffer.allocate(8).putLong(1).array());
    EmbeddedStorage s = EmbeddedStorage.builder(dir).background(false).build();
    assertThatThrownBy(s::open).isInstanceOf(StorageException.class).hasMessageContaining("format 1")
        .hasMessageContaining("format " + EmbeddedStorage.FORMAT);
  }
}
