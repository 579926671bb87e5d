package dev.kansoku.store;

/** Binds the conformance suite to {@link InMemoryStorage}: every area runs, none is disabled. */
class InMemoryStorageTest extends StorageConformanceSuite {
  @Override
  protected Storage newStorage() {
    return InMemoryStorage.builder().build();
  }

  @Override
  protected void clear(Storage storage) {
    ((InMemoryStorage) storage).clear();
  }
}
