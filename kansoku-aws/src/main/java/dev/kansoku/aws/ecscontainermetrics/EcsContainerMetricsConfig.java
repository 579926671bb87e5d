package dev.kansoku.aws.ecscontainermetrics;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;

/** {@code awsecscontainermetrics} receiver: how often to read the task metadata endpoint. */
final class EcsContainerMetricsConfig implements Validatable {
  /** Time between two reads of the task's metadata and stats. Example: 20s. */
  Duration collectionInterval = Duration.ofSeconds(20);
  /**
   * Start without ECS_CONTAINER_METADATA_URI_V4 (outside ECS) and emit nothing, instead of failing the
   * start. Example: false.
   */
  boolean ignoreMissingEndpoint;

  @Override
  public void validate() {
    if (collectionInterval == null || collectionInterval.isNegative() || collectionInterval.isZero()) {
      throw new IllegalArgumentException("collection_interval: must be positive, got " + collectionInterval);
    }
  }
}
