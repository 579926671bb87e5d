package dev.kansoku.awsapi;

import dev.kansoku.api.KansokuExtensionFactory;
import dev.kansoku.store.MemoryStorageFactory;
import java.util.List;

/** The kansoku extension as these tests run it: the memory store, and the AWS endpoints served. */
public final class TestKansoku {
  private TestKansoku() {}

  public static KansokuExtensionFactory extensionFactory() {
    return new KansokuExtensionFactory(List.of(new MemoryStorageFactory()), List.of(new AwsEndpoints()));
  }
}
