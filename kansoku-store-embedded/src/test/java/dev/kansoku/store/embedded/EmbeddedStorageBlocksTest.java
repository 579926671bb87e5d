package dev.kansoku.store.embedded;

/**
 * The conformance suite with the fixtures served from blocks: after the suite writes them, the head
 * is flushed into blocks (the head is then empty), with row groups of 4 rows so trace lookups,
 * log pages and retention cross group boundaries.
 */
class EmbeddedStorageBlocksTest extends EmbeddedStorageTest {
  @Override
  protected void writeFixtures() {
    super.writeFixtures();
    ((EmbeddedStorage) storage).flush();
  }

  @Override
  protected dev.kansoku.store.Storage newStorage() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kansoku-embedded-blocks");
      return EmbeddedStorage.builder(dir).background(false).groupRows(4).build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
