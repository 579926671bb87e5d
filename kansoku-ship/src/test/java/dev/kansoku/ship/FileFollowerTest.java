package dev.kansoku.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFollowerTest {
  @TempDir
  Path dir;
  private final List<String> lines = new ArrayList<>();
  private FileFollower follower;
  private Thread thread;

  private void follow(Path file, boolean fromStart) {
    follower = new FileFollower(file, fromStart, Duration.ofMillis(20));
    LineSplitter splitter = new LineSplitter(1024, line -> {
      synchronized (lines) {
        lines.add(line);
      }
    });
    thread = new Thread(() -> {
      try {
        follower.run(splitter);
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    thread.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (follower != null) {
      follower.stop();
      thread.join(5000);
    }
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private void awaitLines(String... expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      synchronized (lines) {
        if (lines.size() >= expected.length) {
          break;
        }
      }
      Thread.sleep(10);
    }
    synchronized (lines) {
      assertThat(lines).containsExactly(expected);
    }
  }

  @Test
  void fromStartReadsWhatIsThereThenFollows() throws Exception {
    Path f = dir.resolve("app.log");
    append(f, "old 1\nold 2\n");
    follow(f, true);
    awaitLines("old 1", "old 2");
    append(f, "new 1\n");
    awaitLines("old 1", "old 2", "new 1");
  }

  @Test
  void withoutFromStartOnlyNewLinesAreRead() throws Exception {
    Path f = dir.resolve("app.log");
    append(f, "old 1\n");
    follow(f, false);
    Thread.sleep(100);
    append(f, "new 1\n");
    awaitLines("new 1");
  }

  @Test
  void renameRotationReadsTheOldFileToItsEndThenTheNewOne() throws Exception {
    Path f = dir.resolve("app.log");
    append(f, "a\n");
    follow(f, true);
    awaitLines("a");
    // What the writer adds just before rotating must not be lost, nor a line cut by the rotation.
    try (FileChannel old = FileChannel.open(f, StandardOpenOption.APPEND)) {
      Files.move(f, dir.resolve("app.log.1"));
      old.write(StandardCharsets.UTF_8.encode("b\npartial"));
    }
    append(f, "c\n");
    awaitLines("a", "b", "partial", "c");
    append(f, "d\n");
    awaitLines("a", "b", "partial", "c", "d");
  }

  @Test
  void truncationRestartsAtTheBeginning() throws Exception {
    Path f = dir.resolve("app.log");
    append(f, "first line that is long\n");
    follow(f, true);
    awaitLines("first line that is long");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    Thread.sleep(100);
    append(f, "after\n");
    awaitLines("first line that is long", "after");
  }

  @Test
  void aFileThatAppearsLaterIsReadFromItsStart() throws Exception {
    Path f = dir.resolve("later.log");
    follow(f, false);
    Thread.sleep(100);
    append(f, "x\ny\n");
    awaitLines("x", "y");
  }

  @Test
  void stopReadsWhatWasWrittenBeforeIt() throws Exception {
    Path f = dir.resolve("app.log");
    append(f, "");
    follow(f, true);
    append(f, "1\n2\nlast without newline");
    follower.stop();
    thread.join(5000);
    assertThat(thread.isAlive()).isFalse();
    assertThat(lines).containsExactly("1", "2", "last without newline");
  }
}
