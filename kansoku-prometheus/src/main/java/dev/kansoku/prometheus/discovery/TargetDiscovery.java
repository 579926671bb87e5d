package dev.kansoku.prometheus.discovery;

import java.util.List;
import java.util.function.Consumer;

/** One service-discovery config of a scrape job (a {@code kubernetes_sd_configs} entry, a file list). */
public interface TargetDiscovery extends AutoCloseable {
  /**
   * Starts discovering. {@code updates} first receives every group known at start, then the groups that
   * changed (same {@link TargetGroup#source()} replaces; no targets removes). It may be called from the
   * discovery's own threads, never concurrently with itself.
   */
  void start(Consumer<List<TargetGroup>> updates);

  /** Stops discovering and releases its watches and threads. */
  @Override
  void close();
}
