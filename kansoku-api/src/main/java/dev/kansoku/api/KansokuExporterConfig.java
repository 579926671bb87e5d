package dev.kansoku.api;

import dev.kansoku.model.CumulativeDeltas;
import dev.kansoku.pipeline.Validatable;
import java.time.Duration;

/** Settings of the {@code kansoku} exporter. */
final class KansokuExporterConfig implements Validatable {
  /** The id of the kansoku extension that owns the store. Example: kansoku. */
  String extension = "kansoku";
  /**
   * Cumulative series whose last point is remembered to store increases; past it the least recently
   * seen is evicted (its next point only sets a baseline). Example: 100000.
   */
  int maxCumulativeSeries = CumulativeDeltas.DEFAULT_MAX_SERIES;
  /** A cumulative series not seen for this long is forgotten (as awsemf's 5 minutes). Example: 5m. */
  Duration maxStaleness = CumulativeDeltas.DEFAULT_MAX_STALENESS;

  @Override
  public void validate() {
    if (maxCumulativeSeries < 1) {
      throw new IllegalArgumentException("max_cumulative_series: " + maxCumulativeSeries + " (expected: >= 1)");
    }
    if (maxStaleness == null || maxStaleness.isNegative() || maxStaleness.isZero()) {
      throw new IllegalArgumentException("max_staleness: " + maxStaleness + " (expected: > 0)");
    }
  }
}
