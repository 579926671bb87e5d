package dev.kansoku.store;

/** {@code storage: {type: memory}}: a bounded store in the heap, lost on restart; for trials and tests. */
public final class MemoryStorageFactory implements StorageFactory<MemoryStorageFactory.Config> {
  /** Settings under {@code storage} when {@code type: memory}. */
  public static final class Config {
    /** The most spans kept; the oldest traces are evicted whole. Example: 1000000. */
    int maxSpans = 1_000_000;
    /** The most log records kept. Example: 1000000. */
    int maxLogRecords = 1_000_000;
    /** The most metric data points kept. Example: 1000000. */
    int maxMetricPoints = 1_000_000;
  }

  @Override
  public String type() {
    return "memory";
  }

  @Override
  public Config createDefaultConfig() {
    return new Config();
  }

  @Override
  public void validate(Config c) {
    if (c.maxSpans <= 0 || c.maxLogRecords <= 0 || c.maxMetricPoints <= 0) {
      throw new IllegalArgumentException("max_spans, max_log_records and max_metric_points must be > 0");
    }
  }

  @Override
  public Storage open(Config c) {
    return InMemoryStorage.builder().maxSpans(c.maxSpans).maxLogRecords(c.maxLogRecords)
        .maxMetricPoints(c.maxMetricPoints).build();
  }
}
