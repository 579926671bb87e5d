package dev.kansoku.store;

import dev.kansoku.model.MetricPoint;
import java.util.List;

/**
 * Accepts metric points. Returns once the batch is accepted under the backend's stated durability policy
 * (the in-memory store: visible to readers; a disk engine: as its README states, e.g. after the
 * group fsync), so the exporter may acknowledge the sender. Thread-safe; concurrent batches may
 * interleave. Records already in the store are not lost when a batch fails.
 *
 * @throws StorageException when the batch could not be accepted (the caller may retry it)
 */
@FunctionalInterface
public interface MetricWriter {
  void write(List<MetricPoint> batch);
}
