package dev.kansoku.store.opensearch;

import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageConformanceSuite;
import java.time.Duration;
import java.util.UUID;

/**
 * Binds the conformance suite to {@link OpenSearchStorage} on a real node ({@link OpenSearchTestNode}),
 * with the default {@code refresh: wait_for}; a 50 ms refresh
 * interval keeps each write's wait short (the default 1 s would make the suite take minutes). Every area runs, none is disabled.
 */
class OpenSearchStorageTest extends StorageConformanceSuite {
  @Override
  protected Storage newStorage() {
    OpenSearchStorage s = OpenSearchStorage.builder().endpoint(OpenSearchTestNode.shared().url())
        .indexPrefix("conformance-" + UUID.randomUUID().toString().substring(0, 8)).replicas(0)
        .refreshInterval(Duration.ofMillis(50)).build();
    s.open();
    return s;
  }

  @Override
  protected void clear(Storage storage) {
    ((OpenSearchStorage) storage).clear();
  }
}
