package dev.kansoku.model;

/** What a {@link MetricPoint} holds. OTLP exponential histograms arrive as HISTOGRAM with explicit bounds. */
public enum MetricKind {
  /** A sampled value ({@code value}). */
  GAUGE,
  /** A counter or up-down counter value ({@code value}), as the sender aggregated it. */
  SUM,
  /** count, sum, optional min/max and bucket counts. */
  HISTOGRAM,
  /** count, sum and quantile values. */
  SUMMARY
}
