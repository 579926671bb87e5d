package dev.kansoku.store.embedded;

import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Binds the conformance suite to {@link EmbeddedStorage} with every fixture still in the head (WAL +
 * memory). {@link EmbeddedStorageBlocksTest} runs the same cases with everything flushed to blocks.
 * Every area runs, none is disabled.
 */
class EmbeddedStorageTest extends StorageConformanceSuite {
  @Override
  protected Storage newStorage() {
    try {
      Path dir = Files.createTempDirectory("kansoku-embedded-conformance");
      dir.toFile().deleteOnExit();
      return EmbeddedStorage.builder(dir).background(false).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void clear(Storage storage) {
    ((EmbeddedStorage) storage).clear();
  }
}
