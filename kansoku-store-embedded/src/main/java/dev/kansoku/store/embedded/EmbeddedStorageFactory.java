package dev.kansoku.store.embedded;

import dev.kansoku.store.ByteSize;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageFactory;
import java.nio.file.Path;
import java.time.Duration;

/** {@code storage: {type: embedded}} (the default): Kansoku's own store in a local directory. */
public final class EmbeddedStorageFactory implements StorageFactory<EmbeddedStorageFactory.Config> {
  /** Settings under {@code storage} when {@code type: embedded}. */
  public static final class Config {
    /** The data directory, created when missing. Example: /var/lib/kansoku. */
    String path = "./data";
    /** Data older than this is deleted. Example: 72h. */
    Duration retention = Duration.ofDays(7);
    /** The oldest data is deleted while the directory is larger than this. Example: 20GiB. */
    String maxSize = "";
  }

  @Override
  public String type() {
    return "embedded";
  }

  @Override
  public Config createDefaultConfig() {
    return new Config();
  }

  @Override
  public void validate(Config c) {
    if (c.path.isBlank()) {
      throw new IllegalArgumentException("path: empty (expected: a directory such as ./data)");
    }
    if (c.retention.isNegative() || c.retention.isZero()) {
      throw new IllegalArgumentException("retention: expected > 0, e.g. 168h");
    }
    maxSizeBytes(c);
  }

  @Override
  public Storage open(Config c) {
    EmbeddedStorage.Builder b = EmbeddedStorage.builder(Path.of(c.path)).retention(c.retention);
    long maxSize = maxSizeBytes(c);
    if (maxSize > 0) {
      b.maxSizeBytes(maxSize);
    }
    EmbeddedStorage embedded = b.build();
    embedded.open();
    return embedded;
  }

  private static long maxSizeBytes(Config c) {
    return c.maxSize.isBlank() ? 0 : ByteSize.parse("max_size", c.maxSize);
  }
}
