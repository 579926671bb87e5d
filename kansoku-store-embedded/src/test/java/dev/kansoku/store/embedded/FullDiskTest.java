package dev.kansoku.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the store on a small tmpfs (mounted by the test, as root; skipped where mounting
 * is not allowed, and {@link FaultInjectionTest} covers the same paths through the seam). While the
 * disk is full, writes are refused; once space is freed the store resumes by itself (WAL appends,
 * then the flush that failed), and after {@code kill -9} every acknowledged record is there once.
 */
class FullDiskTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  @TempDir Path tmp;
  private Path mount;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mount = Files.createDirectories(tmp.resolve("disk"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (" + out.strip() + ")");
  }

  @AfterEach
  void unmount() throws Exception {
    new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void refuses_while_full_resumes_by_itself_and_loses_nothing_acknowledged() throws Exception {
    Path dir = mount.resolve("store");
    EmbeddedStorage store = EmbeddedStorage.builder(dir).retention(Duration.ofDays(36_500)).headMaxSpans(300)
        .headMaxLogs(200).headMaxPoints(100).build();
    Ledger ledger = new Ledger(T0);
    int n = 0;
    ledger.writeOrThrow(store, n++);

    Path filler = mount.resolve("filler");
    fill(filler, Files.getFileStore(mount).getUsableSpace() - 200_000);
    int refusals = 0;
    int before = ledger.acked.size();
    for (int i = 0; i < 5_000 && refusals < 20; i++) {
      try {
        ledger.writeOrThrow(store, n++);
      } catch (StorageException e) {
        refusals++;
        Thread.sleep(20);
      }
    }
    assertThat(refusals).as("writes are refused while the disk is full").isEqualTo(20);
    assertThat(ledger.acked.size()).as("writes were acknowledged until it filled").isGreaterThan(before);

    Files.delete(filler);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int okInARow = 0;
    while (System.nanoTime() < deadline && (okInARow < 20 || walSegments(dir) > 1)) {
      try {
        ledger.writeOrThrow(store, n++);
        okInARow++;
      } catch (StorageException e) {
        okInARow = 0;
      }
      Thread.sleep(20);
    }
    assertThat(okInARow).as("writes resume once space is freed, without a restart").isGreaterThanOrEqualTo(20);
    assertThat(walSegments(dir)).as("the flush that failed while full completed by itself").isEqualTo(1);

    Path copy = tmp.resolve("after-kill");
    Fixtures.copyTree(dir, copy);
    try (EmbeddedStorage b = EmbeddedStorage.builder(copy).background(false).retention(Duration.ofDays(36_500))
        .build()) {
      ledger.verify(b);
    }
    store.close();
  }

  private static void fill(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }

  private static long walSegments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      return s.filter(p -> p.toString().endsWith(".wal")).count();
    }
  }
}
